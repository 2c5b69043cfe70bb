package dev.ocrgate.server.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/recognize}: the body becomes a {@link RecognizeRequest} ({@link RequestBodies})
 * and is forwarded over the in-process channel to OcrService/Recognize, with the request's
 * {@code Authorization} values as {@code authorization} metadata and the socket's peer address
 * ({@link ForwardedPeer}). No other header is forwarded. The server's interceptors decide
 * everything else (this class checks no token); their status comes back as an HTTP error
 * ({@link HttpErrors}), the response as its proto JSON mapping (lowerCamelCase names, every
 * field printed, default values included, so a client need not know proto3's defaults).
 *
 * <p>The forwarded call gets the configured deadline (504 past it) and is cancelled when the
 * HTTP connection closes first. Thread-safe: one instance serves every connection.
 */
final class RecognizeEndpoint {
  static final String PATH = "/v1/recognize";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

  private final OcrServiceGrpc.OcrServiceStub stub;
  private final long deadlineNanos;

  RecognizeEndpoint(Channel channel, long deadlineNanos) {
    this.stub = OcrServiceGrpc.newStub(channel);
    this.deadlineNanos = deadlineNanos;
  }

  void handle(Exchange ex) {
    RecognizeRequest request;
    try {
      request = RequestBodies.recognizeRequest(ex);
    } catch (RequestBodies.BadBody e) {
      ex.respond(HttpErrors.response(e.status, Status.Code.INVALID_ARGUMENT, e.getMessage(), null));
      return;
    }
    List<String> authorization = ex.headers().getAll(HttpHeaderNames.AUTHORIZATION);
    Metadata md = new Metadata();
    for (String value : authorization) {
      md.put(AUTHORIZATION, value);
    }
    ForwardedPeer.put(md, ex.peer());
    boolean bearerSent = authorization.stream().anyMatch(RecognizeEndpoint::carriesBearerToken);
    Context.CancellableContext call = Context.current().withCancellation();
    ex.onAbandoned(() -> call.cancel(null));
    call.run(() -> stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)
        .recognize(request, new Answer(ex, bearerSent, call)));
  }

  /** "Bearer" and a non-empty token (RFC 6750: without one, a 401 names no error). */
  private static boolean carriesBearerToken(String value) {
    String v = value.trim();
    return v.length() > 7 && v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ") && !v.substring(7).isBlank();
  }

  /** Turns the call's outcome into the one HTTP answer; callbacks come from grpc's executor. */
  private static final class Answer implements StreamObserver<RecognizeResponse> {
    private final Exchange ex;
    private final boolean bearerSent;
    private final Context.CancellableContext call;
    private RecognizeResponse response;

    Answer(Exchange ex, boolean bearerSent, Context.CancellableContext call) {
      this.ex = ex;
      this.bearerSent = bearerSent;
      this.call = call;
    }

    @Override
    public void onNext(RecognizeResponse value) {
      response = value;
    }

    @Override
    public void onError(Throwable t) {
      call.cancel(null);
      ex.respond(HttpErrors.fromGrpc(Status.fromThrowable(t), Status.trailersFromThrowable(t), bearerSent));
    }

    @Override
    public void onCompleted() {
      call.cancel(null);
      try {
        byte[] json = PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
        ex.respond(HttpResponseStatus.OK, "application/json; charset=utf-8", json, null);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        ex.respond(HttpErrors.response(HttpResponseStatus.INTERNAL_SERVER_ERROR, Status.Code.INTERNAL,
            "cannot encode the response", null));
      }
    }
  }
}
