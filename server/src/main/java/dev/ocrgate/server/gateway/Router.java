package dev.ocrgate.server.gateway;

import io.grpc.Status;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Consumer;

/**
 * Routes by exact path: {@code POST /v1/recognize}, {@code GET} for the page's files; any other
 * path is 404, another method on a known path 405 with {@code Allow}. Immutable; thread-safe.
 */
final class Router implements Consumer<Exchange> {
  private final RecognizeEndpoint recognize;
  private final StaticResources files;

  Router(RecognizeEndpoint recognize, StaticResources files) {
    this.recognize = recognize;
    this.files = files;
  }

  @Override
  public void accept(Exchange ex) {
    String path = ex.path();
    if (path.equals(RecognizeEndpoint.PATH)) {
      route(ex, HttpMethod.POST, recognize::handle);
    } else if (files.paths().contains(path)) {
      route(ex, HttpMethod.GET, files::serve);
    } else {
      ex.respond(HttpErrors.response(HttpResponseStatus.NOT_FOUND, Status.Code.NOT_FOUND, "no such path", null));
    }
  }

  private static void route(Exchange ex, HttpMethod allowed, Consumer<Exchange> handler) {
    if (!ex.method().equals(allowed)) {
      DefaultHttpHeaders allow = new DefaultHttpHeaders();
      allow.set(HttpHeaderNames.ALLOW, allowed.name());
      ex.respond(HttpErrors.response(HttpResponseStatus.METHOD_NOT_ALLOWED, Status.Code.UNIMPLEMENTED,
          "method not allowed; use " + allowed.name(), allow));
      return;
    }
    handler.accept(ex);
  }
}
