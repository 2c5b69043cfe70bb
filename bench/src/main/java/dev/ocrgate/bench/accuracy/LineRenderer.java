package dev.ocrgate.bench.accuracy;

import dev.ocrgate.server.vision.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders one line of text as a black-on-white image with java.awt, from a named font file (not a
 * logical font), so that the same text, font and size give the same picture on every machine with
 * the same font package.
 *
 * <p>Stateless; each call allocates its own image, so it is thread-safe.
 */
public final class LineRenderer {
  /** The Debian font files the evaluation uses (fonts-noto-cjk, fonts-wqy-zenhei). */
  public enum CjkFont {
    NOTO_SANS_SC("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "fonts-noto-cjk"),
    NOTO_SERIF_SC("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "fonts-noto-cjk"),
    WQY_ZENHEI("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei", "fonts-wqy-zenhei");

    public final Path file;
    public final String family;
    public final String aptPackage;

    CjkFont(String file, String family, String aptPackage) {
      this.file = Path.of(file);
      this.family = family;
      this.aptPackage = aptPackage;
    }

    public boolean installed() {
      return Files.isRegularFile(file);
    }

    /** The font at 1 pt; fails naming the package when the file is missing. */
    public Font load() throws IOException {
      if (!installed()) {
        throw new IOException(file + " missing (apt-get install " + aptPackage + ")");
      }
      try {
        for (Font f : Font.createFonts(file.toFile())) {
          if (f.getFamily(java.util.Locale.ROOT).equals(family)) {
            return f;
          }
        }
      } catch (FontFormatException e) {
        throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      throw new IOException("no family '" + family + "' in " + file);
    }
  }

  private LineRenderer() {}

  /** {@code text} in {@code font} at {@code sizePx}, with a margin of half the size on each side. */
  public static BufferedImage render(String text, Font font, float sizePx) {
    Font sized = font.deriveFont(sizePx);
    FontRenderContext frc = new FontRenderContext(null, true, true);
    Rectangle2D bounds = sized.getStringBounds(text, frc);
    int margin = Math.round(sizePx / 2);
    int width = (int) Math.ceil(bounds.getWidth()) + 2 * margin;
    int height = (int) Math.ceil(bounds.getHeight()) + 2 * margin;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setColor(Color.BLACK);
      g.setFont(sized);
      g.drawString(text, margin, margin + (float) -bounds.getY());
    } finally {
      g.dispose();
    }
    return img;
  }

  /** Stacks lines vertically (a small "page"), each rendered like {@link #render}. */
  public static BufferedImage renderBlock(List<String> lines, Font font, float sizePx) {
    List<BufferedImage> parts = lines.stream().map(l -> render(l, font, sizePx)).toList();
    int width = parts.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
    int height = parts.stream().mapToInt(BufferedImage::getHeight).sum();
    BufferedImage img = new BufferedImage(width, Math.max(1, height), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, img.getHeight());
      int y = 0;
      for (BufferedImage p : parts) {
        g.drawImage(p, 0, y, null);
        y += p.getHeight();
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** Interleaved RGB of a TYPE_3BYTE_BGR image, converted with one pass over the raster bytes. */
  public static RgbImage toRgb(BufferedImage bgr) {
    if (bgr.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      throw new IllegalArgumentException("expected TYPE_3BYTE_BGR, got type " + bgr.getType());
    }
    byte[] src = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    byte[] rgb = new byte[src.length];
    for (int i = 0; i < src.length; i += 3) {
      rgb[i] = src[i + 2];
      rgb[i + 1] = src[i + 1];
      rgb[i + 2] = src[i];
    }
    return RgbImage.wrap(bgr.getWidth(), bgr.getHeight(), rgb);
  }
}
