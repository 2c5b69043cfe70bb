package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decoding of every accepted format to RGB, and refusal of what the limits forbid. */
class ImageDecoderTest {
  private static final ImageLimits LIMITS = ImageLimits.defaults();

  /** A 5×3 image with distinct colours, including pure red, green and blue pixels. */
  private static BufferedImage sample(int type) {
    BufferedImage img = new BufferedImage(5, 3, type);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        img.setRGB(x, y, new Color(x * 50, y * 100, 255 - x * 40).getRGB());
      }
    }
    img.setRGB(0, 0, 0xffff0000);
    img.setRGB(1, 0, 0xff00ff00);
    img.setRGB(2, 0, 0xff0000ff);
    return img;
  }

  private static int[] rgbAt(RgbImage img, int x, int y) {
    int p = (y * img.width() + x) * 3;
    byte[] d = img.data();
    return new int[] {d[p] & 0xff, d[p + 1] & 0xff, d[p + 2] & 0xff};
  }

  private static void assertSameAs(RgbImage got, BufferedImage want, int tolerance) {
    assertThat(got.width()).isEqualTo(want.getWidth());
    assertThat(got.height()).isEqualTo(want.getHeight());
    for (int y = 0; y < want.getHeight(); y++) {
      for (int x = 0; x < want.getWidth(); x++) {
        int rgb = want.getRGB(x, y);
        int[] px = rgbAt(got, x, y);
        assertThat(Math.abs(px[0] - ((rgb >> 16) & 0xff))).as("R at %d,%d", x, y).isLessThanOrEqualTo(tolerance);
        assertThat(Math.abs(px[1] - ((rgb >> 8) & 0xff))).as("G at %d,%d", x, y).isLessThanOrEqualTo(tolerance);
        assertThat(Math.abs(px[2] - (rgb & 0xff))).as("B at %d,%d", x, y).isLessThanOrEqualTo(tolerance);
      }
    }
  }

  @Test
  void verify_png_decodesToExactRgb() throws Exception {
    BufferedImage img = sample(BufferedImage.TYPE_3BYTE_BGR);
    assertSameAs(ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "png")), LIMITS), img, 0);
  }

  @Test
  void verify_bmp_decodesToExactRgb() throws Exception {
    BufferedImage img = sample(BufferedImage.TYPE_3BYTE_BGR);
    assertSameAs(ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "bmp")), LIMITS), img, 0);
  }

  @Test
  void verify_jpeg_decodesToNearlyTheSameRgb() throws Exception {
    BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(200, 40, 40));
    g.fillRect(0, 0, 32, 32);
    g.setColor(new Color(40, 40, 200));
    g.fillRect(32, 0, 32, 32);
    g.dispose();
    RgbImage got = ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "jpg")), LIMITS);
    assertThat(rgbAt(got, 8, 8)).satisfies(px -> assertThat(px[0]).isGreaterThan(150));
    assertThat(rgbAt(got, 56, 8)).satisfies(px -> assertThat(px[2]).isGreaterThan(150));
  }

  @Test
  void verify_grayPng_isReplicatedToThreeChannels() throws Exception {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(1, 1, 0, 77);
    RgbImage got = ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "png")), LIMITS);
    assertThat(rgbAt(got, 1, 1)).containsExactly(77, 77, 77);
    assertThat(rgbAt(got, 0, 0)).containsExactly(0, 0, 0);
  }

  @Test
  void verify_transparentPng_isCompositedOverWhite() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00000000);
    img.setRGB(1, 0, 0xff102030);
    RgbImage got = ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "png")), LIMITS);
    assertThat(rgbAt(got, 0, 0)).containsExactly(255, 255, 255);
    assertThat(rgbAt(got, 1, 0)).containsExactly(0x10, 0x20, 0x30);
  }

  @Test
  void verify_palettePng_isConverted() throws Exception {
    BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED);
    img.setRGB(0, 0, 0xffff0000);
    img.setRGB(2, 0, 0xff0000ff);
    RgbImage got = ImageDecoder.decode(TestImages.encoded(TestImages.encode(img, "png")), LIMITS);
    assertThat(rgbAt(got, 0, 0)[0]).isGreaterThan(200);
    assertThat(rgbAt(got, 2, 0)[2]).isGreaterThan(200);
  }

  @Test
  void verify_rawFormats_areConverted() throws Exception {
    byte[] rgb = {1, 2, 3, 4, 5, 6};
    assertThat(ImageDecoder.decode(TestImages.raw(2, 1, PixelFormat.PIXEL_FORMAT_RGB8, rgb), LIMITS).data())
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(ImageDecoder.decode(TestImages.raw(2, 1, PixelFormat.PIXEL_FORMAT_BGR8, rgb), LIMITS).data())
        .containsExactly(3, 2, 1, 6, 5, 4);
    assertThat(ImageDecoder.decode(TestImages.raw(2, 1, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[] {9, 8}), LIMITS).data())
        .containsExactly(9, 9, 9, 8, 8, 8);
  }

  @Test
  void verify_decompressionBombHeader_isRefusedBeforeDecoding() {
    byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
    assertThat(bomb.length).isLessThan(100);
    assertThatThrownBy(() -> ImageDecoder.decode(TestImages.encoded(bomb), LIMITS))
        .isInstanceOf(InvalidImageException.class)
        .hasMessage("image has more than the limit of 40000000 pixels");
  }

  @Test
  void verify_oversizedFile_isRefusedBeforeParsing() {
    byte[] big = new byte[2001];
    assertThatThrownBy(() -> ImageDecoder.decode(TestImages.encoded(big), new ImageLimits(2000, 100)))
        .hasMessage("image is larger than the limit of 2000 bytes");
  }

  @Test
  void verify_badInputs_haveFixedMessages() {
    BufferedImage img = sample(BufferedImage.TYPE_3BYTE_BGR);
    byte[] png = TestImages.encode(img, "png");
    byte[] random = new byte[1000];
    new Random(7).nextBytes(random);
    assertRefused(TestImages.encoded(new byte[0]), "image data is empty");
    assertRefused(TestImages.encoded(random), "cannot decode image: not a PNG, JPEG or BMP file");
    assertRefused(TestImages.encoded(Arrays.copyOf(png, png.length / 2)),
        "cannot decode image: corrupt or truncated data");
    assertRefused(Image.getDefaultInstance(), "image is required");
    assertRefused(TestImages.raw(0, 0, PixelFormat.PIXEL_FORMAT_RGB8, new byte[0]),
        "raw image width and height must be positive");
    assertRefused(TestImages.raw(2, 2, PixelFormat.PIXEL_FORMAT_RGB8, new byte[11]),
        "raw image data size does not match width x height x bytes per pixel");
    assertRefused(TestImages.raw(1, 1, PixelFormat.PIXEL_FORMAT_UNSPECIFIED, new byte[3]),
        "raw image pixel format is required");
    assertRefused(TestImages.raw(100_000, 100_000, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[1]),
        "image has more than the limit of 40000000 pixels");
  }

  private static void assertRefused(Image image, String message) {
    assertThatThrownBy(() -> ImageDecoder.decode(image, LIMITS))
        .isInstanceOf(InvalidImageException.class)
        .hasMessage(message);
  }
}
