package dev.ocrgate.server.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.RecognizeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code POST /v1/recognize} body as a {@link RecognizeRequest}, by its {@code Content-Type}:
 * <ul>
 *   <li>{@code image/*} or {@code application/octet-stream}: the body is the encoded image (the
 *       server sniffs the format; the type is passed on as a hint);
 *   <li>{@code multipart/form-data}: the first file part is the image;
 *   <li>{@code application/json}: the proto JSON mapping of RecognizeRequest (strict: unknown
 *       fields are refused).
 * </ul>
 * With the first two, the query or form fields {@code min_confidence} and
 * {@code classify_direction} set the request's fields of those names. Errors are
 * {@link BadBody} with a fixed message (nothing of the client's bytes is echoed). Stateless.
 */
final class RequestBodies {
  /** At most this many parts in a form (the image and two fields; a little room). */
  private static final int MAX_FORM_FIELDS = 16;

  private RequestBodies() {}

  /** A body that cannot become a request: the answer's status and a fixed message. */
  static final class BadBody extends Exception {
    final HttpResponseStatus status;

    BadBody(HttpResponseStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The request in {@code ex}'s body; the bytes are copied, so the body may be released after. */
  static RecognizeRequest recognizeRequest(Exchange ex) throws BadBody {
    String type = mimeType(ex.headers().get(HttpHeaderNames.CONTENT_TYPE));
    if (type.equals("application/json")) {
      return json(ex.body());
    }
    RecognizeRequest.Builder b;
    if (type.startsWith("image/") || type.equals("application/octet-stream")) {
      b = withImage(ByteString.copyFrom(ex.body().nioBuffer()), type);
      options(b, ex.queryParameter("min_confidence"), ex.queryParameter("classify_direction"));
    } else if (type.equals("multipart/form-data")) {
      b = multipart(ex);
    } else {
      throw new BadBody(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be image/*, application/octet-stream, multipart/form-data or application/json");
    }
    return b.build();
  }

  private static RecognizeRequest json(ByteBuf body) throws BadBody {
    RecognizeRequest.Builder b = RecognizeRequest.newBuilder();
    try {
      JsonFormat.parser().merge(body.toString(StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new BadBody(HttpResponseStatus.BAD_REQUEST, "body is not the JSON form of a RecognizeRequest");
    }
    return b.build();
  }

  private static RecognizeRequest.Builder multipart(Exchange ex) throws BadBody {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, ex.method(), ex.path(),
        ex.body().retainedDuplicate(), ex.headers(), EmptyHttpHeaders.INSTANCE);
    HttpPostRequestDecoder decoder = null;
    try {
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8,
          MAX_FORM_FIELDS, ex.body().readableBytes() + 1);
      FileUpload file = null;
      String minConfidence = null;
      String classify = null;
      for (InterfaceHttpData part : decoder.getBodyHttpDatas()) {
        if (part instanceof FileUpload f && file == null) {
          file = f;
        } else if (part instanceof Attribute a && a.getName().equals("min_confidence")) {
          minConfidence = a.getValue();
        } else if (part instanceof Attribute a && a.getName().equals("classify_direction")) {
          classify = a.getValue();
        }
      }
      if (file == null) {
        throw new BadBody(HttpResponseStatus.BAD_REQUEST, "multipart body has no file part");
      }
      RecognizeRequest.Builder b = withImage(ByteString.copyFrom(file.getByteBuf().nioBuffer()),
          mimeType(file.getContentType()));
      options(b, minConfidence, classify);
      return b;
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException | HttpPostRequestDecoder.TooManyFormFieldsException
        | HttpPostRequestDecoder.TooLongFormFieldException | IOException | IllegalArgumentException e) {
      throw new BadBody(HttpResponseStatus.BAD_REQUEST, "malformed multipart/form-data body");
    } finally {
      if (decoder != null) {
        decoder.destroy();
      }
      request.release();
    }
  }

  private static RecognizeRequest.Builder withImage(ByteString data, String mimeType) {
    EncodedImage.Builder image = EncodedImage.newBuilder().setData(data);
    if (mimeType.startsWith("image/")) {
      image.setMimeType(mimeType);
    }
    return RecognizeRequest.newBuilder().setImage(Image.newBuilder().setEncoded(image));
  }

  private static void options(RecognizeRequest.Builder b, String minConfidence, String classify) throws BadBody {
    if (minConfidence != null) {
      try {
        b.setMinConfidence(Float.parseFloat(minConfidence.trim()));
      } catch (NumberFormatException e) {
        throw new BadBody(HttpResponseStatus.BAD_REQUEST, "min_confidence must be a number");
      }
    }
    if (classify != null) {
      String v = classify.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new BadBody(HttpResponseStatus.BAD_REQUEST, "classify_direction must be true or false");
      }
      b.setClassifyDirection(v.equals("true"));
    }
  }

  /** The media type without parameters, lower case; "" when absent. */
  static String mimeType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
