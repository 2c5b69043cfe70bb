package dev.ocrgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.client.OcrClient;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ocrgate recognize IMAGE...}: prints the text of each image, or with {@code --json} one
 * JSON object per image and line ({@code {"file","width","height","lines":[{"text","confidence",
 * "box":[[x,y]×4]}]}}). Exit status 0 when every image was read, 1 when any failed.
 */
@Command(
    name = "recognize",
    mixinStandardHelpOptions = true,
    description = "Reads the text of images (PNG, JPEG, BMP) through an ocrgate server.")
final class RecognizeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
  List<Path> images;

  @Option(names = "--json", description = "One JSON line per image, with boxes and confidences.")
  boolean json;

  @Mixin ClientOptions client;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    int failures = 0;
    try (OcrClient c = client.build()) {
      for (Path image : images) {
        failures += recognizeOne(c, image) ? 0 : 1;
      }
    }
    out.flush();
    return failures == 0 ? 0 : 1;
  }

  private boolean recognizeOne(OcrClient c, Path image) {
    try {
      RecognizeResponse r = c.recognize(image);
      if (json) {
        out.println(JSON.writeValueAsString(toJson(image, r)));
      } else {
        if (images.size() > 1) {
          out.println("==> " + image + " <==");
        }
        r.getLinesList().forEach(l -> out.println(l.getText()));
      }
      return true;
    } catch (IOException e) {
      err.println("ocrgate recognize: " + image + ": cannot read: " + e.getMessage());
    } catch (StatusRuntimeException e) {
      err.println("ocrgate recognize: " + image + ": " + client.describe(e));
    }
    return false;
  }

  private static ObjectNode toJson(Path image, RecognizeResponse r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("file", image.toString());
    o.put("width", r.getImageWidth());
    o.put("height", r.getImageHeight());
    ArrayNode lines = o.putArray("lines");
    for (TextLine l : r.getLinesList()) {
      ObjectNode line = lines.addObject();
      line.put("text", l.getText());
      line.put("confidence", Math.round(l.getConfidence() * 10000) / 10000.0);
      ArrayNode box = line.putArray("box");
      for (Point p : l.getBox().getPointsList()) {
        box.addArray().add(p.getX()).add(p.getY());
      }
    }
    return o;
  }
}
