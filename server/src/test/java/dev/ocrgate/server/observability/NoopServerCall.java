package dev.ocrgate.server.observability;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;

/** A ServerCall whose method is Health/Check and which does nothing. */
final class NoopServerCall extends ServerCall<Object, Object> {
  private static final MethodDescriptor<Object, Object> METHOD;

  static {
    @SuppressWarnings({"unchecked", "rawtypes"})
    MethodDescriptor<Object, Object> m = (MethodDescriptor) HealthGrpc.getCheckMethod();
    METHOD = m;
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void sendHeaders(Metadata headers) {}

  @Override
  public void sendMessage(Object message) {}

  @Override
  public void close(Status status, Metadata trailers) {}

  @Override
  public boolean isCancelled() {
    return true;
  }

  @Override
  public MethodDescriptor<Object, Object> getMethodDescriptor() {
    return METHOD;
  }
}
