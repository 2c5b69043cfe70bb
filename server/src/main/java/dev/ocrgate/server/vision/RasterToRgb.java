package dev.ocrgate.server.vision;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Converts a decoded {@link BufferedImage} to interleaved RGB bytes by reading its raster's data
 * buffer directly (8-bit interleaved gray/RGB/RGBA and packed int RGB/ARGB, the layouts ImageIO's
 * PNG, JPEG and BMP readers produce). Anything else (palettes, 16-bit, 1-bit) is first drawn onto
 * a 3-byte BGR image by Java2D's native loops. Transparent pixels are composited over white, as
 * the reference pipelines do, so dark text on a transparent background stays readable.
 *
 * <p>Stateless; thread-safe.
 */
final class RasterToRgb {
  private RasterToRgb() {}

  static RgbImage convert(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    Raster raster = img.getRaster();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    boolean translated = raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0;
    SampleModel sm = raster.getSampleModel();
    DataBuffer db = raster.getDataBuffer();
    if (!translated && db instanceof DataBufferByte bytes && db.getNumBanks() == 1
        && sm instanceof ComponentSampleModel csm && plainByteModel(img)
        && fromBytes(bytes.getData(), csm, w, h, out)) {
      return RgbImage.wrap(w, h, out);
    }
    if (!translated && db instanceof DataBufferInt ints && db.getNumBanks() == 1
        && sm instanceof SinglePixelPackedSampleModel sppsm
        && img.getColorModel() instanceof DirectColorModel dcm
        && fromInts(ints.getData(), sppsm, dcm, w, h, out)) {
      return RgbImage.wrap(w, h, out);
    }
    return convert(redraw(img));
  }

  /** sRGB or gray, 8 bits per sample, straight (not premultiplied) alpha if any. */
  private static boolean plainByteModel(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    int space = cm.getColorSpace().getType();
    int bands = img.getRaster().getNumBands();
    if (cm.isAlphaPremultiplied()) {
      return false;
    }
    return (bands == 1 && space == ColorSpace.TYPE_GRAY && !cm.hasAlpha())
        || (bands == 3 && space == ColorSpace.TYPE_RGB && !cm.hasAlpha())
        || (bands == 4 && space == ColorSpace.TYPE_RGB && cm.hasAlpha());
  }

  private static BufferedImage redraw(BufferedImage img) {
    BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = bgr.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return bgr;
  }

  /** Interleaved bytes with 1 (gray), 3 (colour) or 4 (colour + alpha) bands. */
  private static boolean fromBytes(byte[] src, ComponentSampleModel sm, int w, int h, byte[] out) {
    int bands = sm.getNumBands();
    int[] off = sm.getBandOffsets();
    int ps = sm.getPixelStride();
    int ss = sm.getScanlineStride();
    for (int b : sm.getBankIndices()) {
      if (b != 0) {
        return false;
      }
    }
    if (bands == 1) {
      grayRows(src, off[0], ps, ss, w, h, out);
      return true;
    }
    if (bands == 3) {
      colourRows(src, off, ps, ss, w, h, out);
      return true;
    }
    if (bands == 4) {
      alphaRows(src, off, ps, ss, w, h, out);
      return true;
    }
    return false;
  }

  private static void grayRows(byte[] src, int off, int ps, int ss, int w, int h, byte[] out) {
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = y * ss + off;
      for (int x = 0; x < w; x++, p += ps) {
        byte v = src[p];
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
      }
    }
  }

  private static void colourRows(byte[] src, int[] off, int ps, int ss, int w, int h, byte[] out) {
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = y * ss;
      for (int x = 0; x < w; x++, p += ps) {
        out[o++] = src[p + off[0]];
        out[o++] = src[p + off[1]];
        out[o++] = src[p + off[2]];
      }
    }
  }

  private static void alphaRows(byte[] src, int[] off, int ps, int ss, int w, int h, byte[] out) {
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = y * ss;
      for (int x = 0; x < w; x++, p += ps) {
        int a = src[p + off[3]] & 0xff;
        out[o++] = overWhite(src[p + off[0]] & 0xff, a);
        out[o++] = overWhite(src[p + off[1]] & 0xff, a);
        out[o++] = overWhite(src[p + off[2]] & 0xff, a);
      }
    }
  }

  private static boolean fromInts(
      int[] src, SinglePixelPackedSampleModel sm, DirectColorModel cm, int w, int h, byte[] out) {
    if (cm.isAlphaPremultiplied() || cm.getPixelSize() > 32 || cm.getRedMask() != 0xff0000
        || cm.getGreenMask() != 0xff00 || cm.getBlueMask() != 0xff) {
      return false;
    }
    boolean alpha = cm.hasAlpha() && cm.getAlphaMask() == 0xff000000;
    if (cm.hasAlpha() && !alpha) {
      return false;
    }
    int ss = sm.getScanlineStride();
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = y * ss;
      for (int x = 0; x < w; x++) {
        int v = src[p + x];
        int a = alpha ? v >>> 24 : 255;
        out[o++] = overWhite((v >> 16) & 0xff, a);
        out[o++] = overWhite((v >> 8) & 0xff, a);
        out[o++] = overWhite(v & 0xff, a);
      }
    }
    return true;
  }

  private static byte overWhite(int c, int a) {
    return (byte) ((c * a + 255 * (255 - a) + 127) / 255);
  }
}
