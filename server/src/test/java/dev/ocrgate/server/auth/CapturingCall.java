package dev.ocrgate.server.auth;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;

/** A server-side call that records how it was closed; lets tests drive an interceptor directly. */
final class CapturingCall extends ServerCall<RecognizeRequest, RecognizeResponse> {
  volatile Status closedWith;

  @Override
  public void request(int numMessages) {}

  @Override
  public void sendHeaders(Metadata headers) {}

  @Override
  public void sendMessage(RecognizeResponse message) {}

  @Override
  public void close(Status status, Metadata trailers) {
    closedWith = status;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }

  @Override
  public MethodDescriptor<RecognizeRequest, RecognizeResponse> getMethodDescriptor() {
    return OcrServiceGrpc.getRecognizeMethod();
  }
}
