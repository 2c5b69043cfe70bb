package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LexiconRespellingTest {
  private static final List<String> LETTERS = List.of("f", "i", "l", "t", "e", "r", "s", "S", "p", ".", " ");
  private static final CharDictionary DICT = CharDictionary.of(LETTERS.subList(0, LETTERS.size() - 1));
  private static final Lexicon WORDS = Lexicon.of(List.of("filter", "felter", "Sep", "tilt"));

  /** Class of a symbol: 0 is the blank, then the dictionary's entries in order, then the space. */
  private static int cls(String s) {
    return s.equals("_") ? 0 : LETTERS.indexOf(s) + 1;
  }

  /**
   * One step per entry of {@code steps}: the named class gets {@code top}, the blank or the class
   * after a slash gets the rest ({@code "l/i:0.3"}: l, and i at 0.3); other classes 0.
   */
  private static float[] probs(float top, String... steps) {
    int classes = DICT.classes();
    float[] p = new float[steps.length * classes];
    for (int t = 0; t < steps.length; t++) {
      String[] parts = steps[t].split("/");
      float second = 1 - top;
      String other = "_";
      if (parts.length == 2) {
        String[] o = parts[1].split(":");
        other = o[0];
        second = Float.parseFloat(o[1]);
      }
      p[t * classes + cls(parts[0])] += parts.length == 2 ? 1 - second : top;
      p[t * classes + cls(other)] += parts.length == 2 ? second : 1 - top;
    }
    return p;
  }

  private static String read(double ratio, float[] p) {
    CtcDecoder decoder = new CtcDecoder(DICT, new LexiconRespelling(WORDS, DICT, ratio));
    return decoder.emitted(p, 0, p.length / DICT.classes(), DICT.classes(), p.length / DICT.classes()).text();
  }

  @Test
  void verify_lostLetterTheModelHeard_isPutBackWhenTheWordListKnowsTheWord() {
    // "flter" read greedily; on the step after f the i had 0.4 against the blank's 0.6
    float[] p = probs(0.9f, "f", "_/i:0.4", "l", "_", "t", "e", "r");
    assertThat(new CtcDecoder(DICT).emitted(p, 0, 7, DICT.classes(), 7).text()).isEqualTo("flter");
    assertThat(read(0.1, p)).isEqualTo("filter");
    // the same steps with i barely there: below the ratio, the reading stays
    float[] faint = probs(0.9f, "f", "_/i:0.0001", "l", "_", "t", "e", "r");
    assertThat(read(0.1, faint)).isEqualTo("flter");
  }

  @Test
  void verify_onlyTheTokensStepsChange_andItsNeighboursStay() {
    float[] p = probs(0.9f, ".", "_", "f", "_/i:0.4", "l", "t", "e", "r", ".", "_");
    assertThat(read(0.1, p)).isEqualTo(".filter.");
    float[] spaced = probs(0.9f, "p", " ", "f", "_/i:0.4", "l", "t", "e", "r", " ", "p");
    assertThat(read(0.1, spaced)).isEqualTo("p filter p");
  }

  @Test
  void verify_knownWordsShortTokensAndCaseOnlyChanges_stayAsRead() {
    // "tilt" is a word: an i heard beside its l does not make it "tilit" or anything else
    assertThat(read(1e-6, probs(0.9f, "t", "i", "l", "_/i:0.45", "t"))).isEqualTo("tilt");
    // two letters: below the minimum
    assertThat(read(1e-6, probs(0.9f, "f", "_/i:0.45", "l"))).isEqualTo("fl");
    // "sep" differs from the listed "Sep" in case only: not a respelling
    assertThat(read(1e-6, probs(0.9f, "s", "e", "p/S:0.1"))).isEqualTo("sep");
  }

  @Test
  void verify_noDeletions_aLetterTheModelReadIsNeverDropped() {
    // "filterr": "filter" is one deletion away, never offered
    assertThat(read(1e-6, probs(0.9f, "f", "i", "l", "t", "e", "r", "_", "r"))).isEqualTo("filterr");
  }

  @Test
  void verify_likeliestCandidateWins() {
    // "flter" is one insertion from both "filter" and "felter": the model's own steps choose
    assertThat(read(0.01, probs(0.9f, "f", "_/e:0.2", "_/i:0.3", "l", "t", "e", "r"))).isEqualTo("filter");
    assertThat(read(0.01, probs(0.9f, "f", "_/e:0.3", "_/i:0.2", "l", "t", "e", "r"))).isEqualTo("felter");
  }

  @Test
  void verify_forwardProbability_isTheSumOverAllAlignments() {
    Random random = new Random(7);
    int classes = 4;
    for (int trial = 0; trial < 50; trial++) {
      int steps = 2 + random.nextInt(5);
      float[] p = new float[steps * classes];
      for (int t = 0; t < steps; t++) {
        float sum = 0;
        for (int c = 0; c < classes; c++) {
          p[t * classes + c] = 0.05f + random.nextFloat();
          sum += p[t * classes + c];
        }
        for (int c = 0; c < classes; c++) {
          p[t * classes + c] /= sum;
        }
      }
      int[] labels = new int[1 + random.nextInt(3)];
      for (int k = 0; k < labels.length; k++) {
        labels[k] = 1 + random.nextInt(classes - 1);
      }
      double brute = 0;
      double bestPath = 0;
      int[] bestAlignment = null;
      for (int[] path : paths(steps, classes)) {
        if (java.util.Arrays.equals(collapse(path), labels)) {
          double prob = 1;
          for (int t = 0; t < steps; t++) {
            prob *= p[t * classes + path[t]];
          }
          brute += prob;
          if (prob > bestPath) {
            bestPath = prob;
            bestAlignment = path;
          }
        }
      }
      double forward = LexiconRespelling.logProbability(p, 0, classes, 0, steps - 1, labels, false, null);
      int[] aligned = new int[steps];
      double viterbi = LexiconRespelling.logProbability(p, 0, classes, 0, steps - 1, labels, true, aligned);
      if (brute == 0) {
        assertThat(forward).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(viterbi).isEqualTo(Double.NEGATIVE_INFINITY);
      } else {
        assertThat(Math.exp(forward)).isCloseTo(brute, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Math.exp(viterbi)).isCloseTo(bestPath, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(collapse(aligned)).isEqualTo(labels);
        double alignedProb = 1;
        for (int t = 0; t < steps; t++) {
          alignedProb *= p[t * classes + aligned[t]];
        }
        assertThat(alignedProb).isCloseTo(bestPath, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(bestAlignment).isNotNull();
      }
    }
  }

  @Test
  void verify_ratioOutsideItsRange_isRefused() {
    assertThatThrownBy(() -> new LexiconRespelling(WORDS, DICT, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LexiconRespelling(WORDS, DICT, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<int[]> paths(int steps, int classes) {
    List<int[]> out = new ArrayList<>();
    int total = (int) Math.pow(classes, steps);
    for (int code = 0; code < total; code++) {
      int[] path = new int[steps];
      int c = code;
      for (int t = 0; t < steps; t++) {
        path[t] = c % classes;
        c /= classes;
      }
      out.add(path);
    }
    return out;
  }

  private static int[] collapse(int[] path) {
    List<Integer> out = new ArrayList<>();
    int prev = -1;
    for (int c : path) {
      if (c != 0 && c != prev) {
        out.add(c);
      }
      prev = c;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
