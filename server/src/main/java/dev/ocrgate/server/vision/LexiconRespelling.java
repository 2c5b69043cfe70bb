package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Respells a Latin word the recogniser read as no known word, when the word list has a word one
 * edit away and the recogniser's own output gives that word nearly the probability of what it
 * read: a dictionary check weighed by the model, as Tesseract weighs its dictionary against its
 * LSTM, but kept to one edit.
 *
 * <p>The misses it is for: printed ligatures and tight letter pairs the Chinese PP-OCRv4 recogniser
 * reads as one letter ({@code fi} in {@code filter} → {@code flter}, {@code fl} → {@code foating},
 * {@code ffi} → {@code suffcient}, {@code tt} → {@code atribute}), and a letter lost between two
 * others ({@code lient}, {@code publig}). Greedy CTC decoding keeps only the best class of each
 * step; where the lost letter had some probability on the steps around, the word with it can be
 * nearly as likely as the word without it, and the word list tells which of the two is a word.
 *
 * <p><b>Rule.</b> A token is a maximal run of symbols that are ASCII letters, with non-letters
 * (spaces, punctuation, digits, other scripts) or the line's ends around it; tokens of
 * {@value #MIN_LETTERS} to {@value #MAX_LETTERS} letters that the {@link Lexicon} does not know are
 * looked at. The candidates are the known words of at least {@value #MIN_LETTERS} letters one
 * inserted or substituted ASCII letter away; a substitution that changes only a letter's case is
 * none ({@code sep} does not become {@code Sep}). Deletions are not offered: the word list holds
 * a shorter word inside most unknown names ({@code gimp} → {@code imp}, {@code xsane} →
 * {@code sane}), and on the tuning sets no letter the model said was a wrong one to drop. Each
 * candidate is scored by its CTC probability (the sum over all alignments, the forward
 * algorithm) on the token's steps: from the step after the previous symbol's run to the step
 * before the next symbol's run. The likeliest
 * candidate replaces the token when its probability is at least {@code minRatio} times the read
 * token's on the same steps; its best alignment (Viterbi) replaces the token's steps in the path,
 * so the symbols' positions and the space class between them stay measured from the model.
 *
 * <p><b>Invariants.</b> Only the steps of a replaced token change, and only between letter classes
 * and the blank; every other step, and so every non-letter symbol, stays as it was. Known words
 * are never changed. Chinese and other non-Latin symbols bound tokens and are never part of one.
 * Immutable and thread-safe.
 */
public final class LexiconRespelling {
  static final int MIN_LETTERS = 3;
  static final int MAX_LETTERS = 24;

  private final Lexicon lexicon;
  private final double logMinRatio;
  /** {@code letterClass[c]}: the class of ASCII letter c, or -1 when the dictionary has none. */
  private final int[] letterClass = new int[128];
  /** {@code classLetter[k]}: the ASCII letter of class k, or 0. */
  private final char[] classLetter;

  /**
   * @param minRatio in (0, 1]: how likely, relative to the token as read, a known word must be on
   *     the token's steps to replace it
   */
  public LexiconRespelling(Lexicon lexicon, CharDictionary dictionary, double minRatio) {
    if (!(minRatio > 0 && minRatio <= 1)) {
      throw new IllegalArgumentException("minRatio must be in (0, 1], was " + minRatio);
    }
    this.lexicon = lexicon;
    this.logMinRatio = Math.log(minRatio);
    Arrays.fill(letterClass, -1);
    classLetter = new char[dictionary.classes()];
    for (int k = 1; k < dictionary.classes(); k++) {
      String s = dictionary.symbol(k);
      if (s.length() == 1 && Lexicon.asciiLetter(s.charAt(0)) && letterClass[s.charAt(0)] < 0) {
        letterClass[s.charAt(0)] = k;
        classLetter[k] = s.charAt(0);
      }
    }
  }

  /**
   * The greedy path {@code path} (best class per step, 0 = blank) of the line whose step t has its
   * class probabilities at {@code probs[base + t * classes ...]}, with unknown tokens respelled as
   * the class comment says; {@code path} itself when nothing changed, else a new array.
   */
  public int[] respell(float[] probs, int base, int classes, int[] path) {
    List<int[]> runs = runs(path); // {class, first step, last step}
    int[] out = path;
    int i = 0;
    while (i < runs.size()) {
      if (!letter(runs.get(i)[0])) {
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < runs.size() && letter(runs.get(j + 1)[0])) {
        j++;
      }
      int from = i == 0 ? 0 : runs.get(i - 1)[2] + 1;
      int to = j + 1 == runs.size() ? path.length - 1 : runs.get(j + 1)[1] - 1;
      int[] better = better(probs, base, classes, runs.subList(i, j + 1), from, to);
      if (better != null) {
        if (out == path) {
          out = path.clone();
        }
        System.arraycopy(better, 0, out, from, better.length);
      }
      i = j + 1;
    }
    return out;
  }

  /** The Viterbi path on steps [from, to] of the replacing word, or null to keep the token. */
  private int[] better(float[] probs, int base, int classes, List<int[]> token, int from, int to) {
    int n = token.size();
    if (n < MIN_LETTERS || n > MAX_LETTERS) {
      return null;
    }
    StringBuilder read = new StringBuilder(n);
    for (int[] run : token) {
      read.append(classLetter[run[0]]);
    }
    String word = read.toString();
    if (lexicon.known(word)) {
      return null;
    }
    double readLog = Double.NaN;
    double bestLog = Double.NEGATIVE_INFINITY;
    String best = null;
    for (String candidate : candidates(word)) {
      if (Double.isNaN(readLog)) {
        readLog = logProbability(probs, base, classes, from, to, classes(word), false, null);
      }
      double log = logProbability(probs, base, classes, from, to, classes(candidate), false, null);
      if (log > bestLog) {
        bestLog = log;
        best = candidate;
      }
    }
    if (best == null || !(bestLog - readLog >= logMinRatio)) {
      return null;
    }
    int[] aligned = new int[to - from + 1];
    logProbability(probs, base, classes, from, to, classes(best), true, aligned);
    return aligned;
  }

  /** Known words of at least {@value #MIN_LETTERS} letters one letter edit from {@code word}. */
  private Set<String> candidates(String word) {
    Set<String> out = new LinkedHashSet<>();
    int n = word.length();
    StringBuilder b = new StringBuilder(n + 1);
    for (int p = 0; p <= n; p++) {
      for (char c = 'A'; c <= 'z'; c = c == 'Z' ? 'a' : (char) (c + 1)) {
        if (letterClass[c] < 0) {
          continue;
        }
        b.setLength(0);
        b.append(word, 0, p).append(c).append(word, p, n); // insertion
        add(out, b.toString());
        if (p < n && Character.toLowerCase(c) != Character.toLowerCase(word.charAt(p))) {
          b.setLength(0);
          b.append(word, 0, p).append(c).append(word, p + 1, n); // substitution
          add(out, b.toString());
        }
      }
    }
    return out;
  }

  private void add(Set<String> out, String candidate) {
    if (candidate.length() >= MIN_LETTERS && lexicon.known(candidate)) {
      out.add(candidate);
    }
  }

  private int[] classes(String word) {
    int[] labels = new int[word.length()];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = letterClass[word.charAt(k)];
    }
    return labels;
  }

  /**
   * The natural log of the CTC probability of {@code labels} on steps [from, to]: the sum over
   * alignments (forward algorithm, scaled per step), or with {@code viterbi} the best alignment's,
   * written as classes per step into {@code aligned}. Negative infinity when no alignment fits.
   */
  static double logProbability(float[] probs, int base, int classes, int from, int to, int[] labels,
      boolean viterbi, int[] aligned) {
    int states = 2 * labels.length + 1; // blank, l0, blank, l1, ..., blank
    int steps = to - from + 1;
    if (steps < labels.length) {
      return Double.NEGATIVE_INFINITY;
    }
    double[] alpha = new double[states];
    double[] next = new double[states];
    int[][] back = viterbi ? new int[steps][states] : null;
    double logScale = 0;
    for (int t = 0; t < steps; t++) {
      int row = base + (from + t) * classes;
      for (int s = 0; s < states; s++) {
        int cls = s % 2 == 0 ? 0 : labels[s / 2];
        double p = probs[row + cls];
        double sum;
        int arg = s;
        if (t == 0) {
          sum = s <= 1 ? 1 : 0;
        } else {
          // from the same state, the one before, and past a blank between two different labels
          int lowest = s % 2 == 1 && s >= 3 && labels[s / 2] != labels[s / 2 - 1] ? s - 2 : Math.max(0, s - 1);
          sum = alpha[s];
          for (int q = s - 1; q >= lowest; q--) {
            if (!viterbi) {
              sum += alpha[q];
            } else if (alpha[q] > sum) {
              sum = alpha[q];
              arg = q;
            }
          }
        }
        next[s] = sum * p;
        if (viterbi) {
          back[t][s] = arg;
        }
      }
      double scale = 0;
      for (int s = 0; s < states; s++) {
        scale = viterbi ? Math.max(scale, next[s]) : scale + next[s];
      }
      if (scale <= 0) {
        return Double.NEGATIVE_INFINITY;
      }
      for (int s = 0; s < states; s++) {
        alpha[s] = next[s] / scale;
      }
      logScale += Math.log(scale);
    }
    double end = states >= 2 ? (viterbi ? Math.max(alpha[states - 1], alpha[states - 2])
        : alpha[states - 1] + alpha[states - 2]) : alpha[0];
    if (end <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (viterbi) {
      int s = states >= 2 && alpha[states - 2] > alpha[states - 1] ? states - 2 : states - 1;
      for (int t = steps - 1; t >= 0; t--) {
        aligned[t] = s % 2 == 0 ? 0 : labels[s / 2];
        s = back[t][s];
      }
    }
    return logScale + Math.log(end);
  }

  /** Runs of equal non-blank classes along {@code path}: {class, first step, last step}. */
  private static List<int[]> runs(int[] path) {
    List<int[]> runs = new ArrayList<>();
    for (int t = 0; t < path.length; t++) {
      if (path[t] == 0) {
        continue;
      }
      if (t > 0 && path[t - 1] == path[t]) {
        runs.get(runs.size() - 1)[2] = t;
      } else {
        runs.add(new int[] {path[t], t, t});
      }
    }
    return runs;
  }

  private boolean letter(int cls) {
    return cls > 0 && cls < classLetter.length && classLetter[cls] != 0;
  }
}
