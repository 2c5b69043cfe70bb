package dev.ocrgate.bench.streaming;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A minimal PNG line chart (java.awt): x on a log2 axis, one line per series. */
final class LinePlot {
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40),
      new Color(44, 160, 44), new Color(148, 103, 189)};

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();

  LinePlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  LinePlot add(String name, List<double[]> points) {
    series.put(name, points);
    return this;
  }

  void write(Path png) throws IOException {
    int w = 720;
    int h = 440;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 60;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double xMin = Double.MAX_VALUE;
    double xMax = -Double.MAX_VALUE;
    double yMax = 0;
    for (List<double[]> pts : series.values()) {
      for (double[] p : pts) {
        xMin = Math.min(xMin, log2(p[0]));
        xMax = Math.max(xMax, log2(p[0]));
        yMax = Math.max(yMax, p[1]);
      }
    }
    yMax = yMax <= 0 ? 1 : yMax * 1.15;
    double xSpan = Math.max(1e-9, xMax - xMin);
    int plotW = w - left - right;
    int plotH = h - top - bottom;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(left, top, plotW, plotH);
    for (int i = 0; i <= 4; i++) {
      double v = yMax * i / 4;
      int y = top + plotH - (int) (plotH * i / 4.0);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left + 1, y, left + plotW - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format("%.1f", v), 8, y + 4);
    }
    for (double[] p : series.values().iterator().next()) {
      int x = left + (int) (plotW * (log2(p[0]) - xMin) / xSpan);
      g.drawString(String.valueOf((long) p[0]), x - 6, top + plotH + 18);
    }
    g.drawString(xLabel, left + plotW / 2 - 40, h - 16);
    g.drawString(yLabel, left, top - 6 + 0);
    int k = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      g.setColor(COLORS[k % COLORS.length]);
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (double[] p : e.getValue()) {
        int x = left + (int) (plotW * (log2(p[0]) - xMin) / xSpan);
        int y = top + plotH - (int) (plotH * p[1] / yMax);
        g.fillOval(x - 3, y - 3, 6, 6);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.drawString(e.getKey(), left + plotW - 220, top + 18 + 16 * k);
      k++;
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  private static double log2(double v) {
    return Math.log(Math.max(v, 1e-9)) / Math.log(2);
  }
}
