package dev.ocrgate.server.observability;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;

/** A ServerCall whose method is Health/Check and which does nothing. */
final class NoopServerCall extends ServerCall<Object, Object> {
  private static final io.grpc.MethodDescriptor<Object, Object> METHOD;

  static {
    @SuppressWarnings({"unchecked", "rawtypes"})
    io.grpc.MethodDescriptor<Object, Object> m = (io.grpc.MethodDescriptor) HealthGrpc.getCheckMethod();
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
  public io.grpc.MethodDescriptor<Object, Object> getMethodDescriptor() {
    return METHOD;
  }
}
