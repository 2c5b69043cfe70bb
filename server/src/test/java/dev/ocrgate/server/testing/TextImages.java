package dev.ocrgate.server.testing;

import dev.ocrgate.server.vision.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders text lines with java.awt for OCR golden tests and records where each line was drawn
 * (its ink bounds, in image pixels). Fonts: DejaVu Sans (fonts-dejavu-core) for Latin, Noto Sans
 * CJK SC (fonts-noto-cjk) for Chinese; {@link #requireFont} skips or fails (CI) when missing.
 */
public final class TextImages {
  private TextImages() {}

  /** A line to draw: text, font, top-left of its baseline box. */
  public record Line(String text, Font font, int x, int y) {}

  /** A rendered image and the ink rectangle of each line. */
  public record Rendered(BufferedImage image, List<Rectangle> bounds) {
    /** As RGB bytes (for the OCR pipeline). */
    public RgbImage rgb() {
      return toRgb(image);
    }
  }

  /** The font family {@code family} at {@code size}; requires it to be installed. */
  public static Font requireFont(String family, int style, int size, String aptPackage) {
    Font f = new Font(family, style, size);
    if (!f.getFamily().equals(family)) {
      String msg = "font '" + family + "' not installed (apt-get install " + aptPackage + ")";
      if (ExternalTools.inCi()) {
        throw new AssertionError("CI=true and " + msg);
      }
      Assumptions.abort(msg);
    }
    return f;
  }

  /** DejaVu Sans, plain. */
  public static Font latin(int size) {
    return requireFont("DejaVu Sans", Font.PLAIN, size, "fonts-dejavu-core");
  }

  /** Noto Sans CJK SC, plain. */
  public static Font chinese(int size) {
    return requireFont("Noto Sans CJK SC", Font.PLAIN, size, "fonts-noto-cjk");
  }

  /** Draws {@code lines} in {@code fg} on {@code bg}; y of each line is the top of its text box. */
  public static Rendered render(int w, int h, Color bg, Color fg, List<Line> lines) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(bg);
    g.fillRect(0, 0, w, h);
    g.setColor(fg);
    List<Rectangle> bounds = new ArrayList<>();
    for (Line line : lines) {
      g.setFont(line.font());
      FontMetrics fm = g.getFontMetrics();
      int baseline = line.y() + fm.getAscent();
      g.drawString(line.text(), line.x(), baseline);
      Rectangle ink = g.getFont()
          .createGlyphVector(g.getFontRenderContext(), line.text())
          .getPixelBounds(g.getFontRenderContext(), line.x(), baseline);
      bounds.add(ink);
    }
    g.dispose();
    return new Rendered(img, bounds);
  }

  /** {@code src} turned 90° clockwise (text then reads top to bottom). */
  public static BufferedImage rotateClockwise(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    AffineTransform t = new AffineTransform();
    t.translate(src.getHeight(), 0);
    t.rotate(Math.PI / 2);
    g.drawImage(src, t, null);
    g.dispose();
    return out;
  }

  /** RGB bytes of a TYPE_3BYTE_BGR image. */
  public static RgbImage toRgb(BufferedImage img) {
    if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      throw new IllegalArgumentException("expected TYPE_3BYTE_BGR");
    }
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return RgbImage.wrap(img.getWidth(), img.getHeight(), rgb);
  }
}
