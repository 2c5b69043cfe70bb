package dev.ocrgate.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Error answers: a JSON body {@code {"code": <HTTP status>, "status": "<gRPC code name>",
 * "message": "<the status description>"}} (the shape of Google's JSON errors, without the
 * wrapper), with the HTTP status that stands for the gRPC code (Google's mapping, the one
 * grpc-gateway uses) and the headers HTTP clients expect: {@code WWW-Authenticate} on 401/403
 * (RFC 6750), {@code Retry-After} on 429/503.
 *
 * <p>The message is the gRPC status description, which the server keeps short and fixed (no
 * token, key, client bytes or stack trace), or a fixed message of this package. Stateless.
 */
final class HttpErrors {
  /** The realm named in every challenge. */
  static final String REALM = "ocrgate";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The prefix of the authentication interceptor's PERMISSION_DENIED description. */
  private static final String MISSING_SCOPE = "missing scope: ";
  /** The transport's RESOURCE_EXHAUSTED description for a message over its limit (MessageSizeLimits). */
  private static final String MESSAGE_TOO_LARGE = "request message larger than";

  private HttpErrors() {}

  /** A JSON error response; {@code extra} headers (may be null) are added. */
  static FullHttpResponse response(HttpResponseStatus http, Status.Code code, String message, HttpHeaders extra) {
    ObjectNode body = JSON.createObjectNode();
    body.put("code", http.code());
    body.put("status", code.name());
    body.put("message", message == null ? "" : message);
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, http, Unpooled.wrappedBuffer(bytes));
    if (extra != null) {
      r.headers().add(extra);
    }
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    return r;
  }

  /**
   * The answer for a forwarded call that ended with {@code status}. {@code bearerSent}: the
   * request carried a Bearer token (then a 401 says {@code error="invalid_token"}; without one it
   * only names the realm, as RFC 6750 section 3.1 asks).
   */
  static FullHttpResponse fromGrpc(Status status, Metadata trailers, boolean bearerSent) {
    String message = status.getDescription();
    HttpHeaders extra = new DefaultHttpHeaders();
    HttpResponseStatus http = httpStatus(status.getCode());
    switch (status.getCode()) {
      case UNAUTHENTICATED -> extra.set(HttpHeaderNames.WWW_AUTHENTICATE, bearerSent
          ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"" : "Bearer realm=\"" + REALM + "\"");
      case PERMISSION_DENIED -> {
        String scope = message != null && message.startsWith(MISSING_SCOPE) ? message.substring(MISSING_SCOPE.length()) : null;
        extra.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\""
            + (scope != null && isScopeToken(scope) ? ", scope=\"" + scope + "\"" : ""));
      }
      case RESOURCE_EXHAUSTED -> {
        if (message != null && message.startsWith(MESSAGE_TOO_LARGE)) {
          http = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        } else {
          extra.set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(status, trailers)));
        }
      }
      case UNAVAILABLE -> extra.set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(status, trailers)));
      default -> { }
    }
    return response(http, status.getCode(), message, extra);
  }

  /** The HTTP status for a gRPC code (google.rpc.Code's documented mapping). */
  static HttpResponseStatus httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> HttpResponseStatus.OK;
      case CANCELLED -> HttpResponseStatus.valueOf(499, "Client Closed Request");
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
      case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case ALREADY_EXISTS, ABORTED -> HttpResponseStatus.CONFLICT;
      case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
      case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
      case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
      case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case UNKNOWN, INTERNAL, DATA_LOSS -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }

  /** Whole seconds from the status's {@code google.rpc.RetryInfo}, rounded up; 1 without one. */
  static long retryAfterSeconds(Status status, Metadata trailers) {
    com.google.rpc.Status detail = trailers == null ? null : StatusProto.fromStatusAndTrailers(status, trailers);
    if (detail != null) {
      for (Any any : detail.getDetailsList()) {
        if (any.is(RetryInfo.class)) {
          try {
            Duration d = any.unpack(RetryInfo.class).getRetryDelay();
            return Math.max(1, d.getSeconds() + (d.getNanos() > 0 ? 1 : 0));
          } catch (InvalidProtocolBufferException e) {
            return 1;
          }
        }
      }
    }
    return 1;
  }

  /** RFC 6750 scope-token characters only, so a description can never break the header. */
  private static boolean isScopeToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
