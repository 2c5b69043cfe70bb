package dev.ocrgate.server.ocr;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ocrgate.server.vision.CharDictionary;
import dev.ocrgate.server.vision.DbParams;
import dev.ocrgate.server.vision.DetResize;
import dev.ocrgate.server.vision.RecResize;
import dev.ocrgate.server.vision.Lexicon;
import dev.ocrgate.server.vision.LexiconRespelling;
import dev.ocrgate.server.vision.LexiconSpaces;
import dev.ocrgate.server.vision.WordSpaces;
import java.util.ArrayList;
import java.util.List;

/**
 * A model set's {@code model.yaml}: file names and every pre/post-processing number. Bound by
 * Jackson (snake_case, unknown keys are errors), validated by {@link #validate}, read-only after.
 */
public final class ModelConfig {
  /** Model set name reported to clients, e.g. {@code ppocr-v4}. */
  @JsonProperty public String name;
  /** File names relative to the model folder. */
  @JsonProperty public Files files = new Files();
  /** Text detection (DB). */
  @JsonProperty public Detection detection = new Detection();
  /** Text recognition (CTC). */
  @JsonProperty public Recognition recognition = new Recognition();
  /** Direction classifier (optional model). */
  @JsonProperty public Classifier classifier = new Classifier();
  /** Dynamic batching and instances per execution provider and stage. */
  @JsonProperty public BatchingSpec batching = new BatchingSpec();

  /** File names. */
  public static final class Files {
    @JsonProperty public String detection;
    @JsonProperty public String recognition;
    /** Optional: without it, direction classification is unavailable. */
    @JsonProperty public String classifier;
    @JsonProperty public String dictionary;
    /**
     * Optional word list (one word per line, UTF-8, {@code #} comments) for the word spaces of
     * Latin-only images ({@code vision.LexiconSpaces}) and for the spaces heard faintly
     * ({@code recognition.lexicon_space_probability}); absent = off, and that setting must then
     * be 0.
     */
    @JsonProperty public String lexicon;
  }

  /** DB detection settings. */
  public static final class Detection {
    @JsonProperty public String limit_type = "max";
    @JsonProperty public int limit_side_len = 960;
    @JsonProperty public int max_side_len = 2000;
    @JsonProperty public List<Float> mean = new ArrayList<>(List.of(0.485f, 0.456f, 0.406f));
    @JsonProperty public List<Float> std = new ArrayList<>(List.of(0.229f, 0.224f, 0.225f));
    @JsonProperty public String channel_order = "bgr";
    @JsonProperty public float thresh = 0.3f;
    @JsonProperty public float box_thresh = 0.5f;
    @JsonProperty public float unclip_ratio = 1.6f;
    @JsonProperty public int max_candidates = 1000;
    @JsonProperty public float min_size = 3f;
    @JsonProperty public boolean use_dilation = true;

    DbParams dbParams() {
      return new DbParams(thresh, box_thresh, unclip_ratio, max_candidates, min_size, use_dilation);
    }

    DetResize resize() {
      return new DetResize(limit_type, limit_side_len, max_side_len);
    }
  }

  /** CTC recognition settings. */
  public static final class Recognition {
    @JsonProperty public int height = 48;
    @JsonProperty public List<Integer> width_buckets = new ArrayList<>(List.of(160, 320, 480, 640, 960, 1280));
    @JsonProperty public String channel_order = "bgr";
    @JsonProperty public float score_threshold = 0.5f;
    @JsonProperty public float tall_ratio = 1.5f;
    /**
     * A space is inserted between two Latin characters when the space class reached this
     * probability on the CTC steps between them ({@code vision.WordSpaces}); 0 = off (the model's
     * text as it is).
     */
    @JsonProperty public float word_space_probability = 0f;
    /**
     * A space the space class reached this probability for (but not word_space_probability) is
     * added where it cuts a token the word list ({@code files.lexicon}) does not know into words
     * it does ({@code vision.WordSpaces}, {@code vision.LexiconSpaces#heard}); 0 = off. Needs
     * {@code files.lexicon}.
     */
    @JsonProperty public float lexicon_space_probability = 0f;
    /**
     * A Latin word the word list ({@code files.lexicon}) does not know is replaced by a known word
     * one letter edit away when the recogniser gives that word at least this ratio of the read
     * word's CTC probability on the same steps ({@code vision.LexiconRespelling}); 0 = off. Needs
     * {@code files.lexicon}.
     */
    @JsonProperty public float lexicon_respell_ratio = 0f;
    /**
     * Word spaces from the ink gaps of the line crop, as ratios to the line's own word gap
     * ({@code vision.WordSpaces}); all 0 = off.
     */
    @JsonProperty public WordGaps word_gaps = new WordGaps();
    /**
     * Lines of set print in still images (a light background, the box overlapping another
     * line's) are read from a crop as {@code detection.unclip_ratio} would have been this value
     * when the image's text is Latin: its widest lines are read first to learn that, and an image
     * with a character of a non-Latin script is read from its detection boxes
     * ({@code ocr.BatchedOcrPipeline.ScriptProbe}); 0 = every line from its detection box.
     */
    @JsonProperty public float latin_unclip_ratio = 0f;

    /** The word-space rules, with {@code lexicon} (null when model.yaml names none) for heard spaces. */
    WordSpaces wordSpaces(Lexicon lexicon) {
      return new WordSpaces(word_space_probability,
          new WordSpaces.Gaps(word_gaps.insert, word_gaps.remove_from, word_gaps.remove_to,
              word_gaps.min_separation, word_gaps.max_overruled),
          lexicon == null ? 0 : lexicon_space_probability,
          lexicon == null ? null : new LexiconSpaces(lexicon));
    }

    /** The respelling of unknown Latin words, or null when off or without a word list. */
    LexiconRespelling respelling(Lexicon lexicon, CharDictionary dictionary) {
      return lexicon == null || lexicon_respell_ratio == 0 ? null
          : new LexiconRespelling(lexicon, dictionary, lexicon_respell_ratio);
    }

    RecResize resize() {
      return new RecResize(height, width_buckets.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** Ink-gap word spaces: ratios to the median gap at the spaces the model said on the line. */
  public static final class WordGaps {
    /** A gap of at least this times the word gap, between two letters/digits, is a space; 0 = never. */
    @JsonProperty public float insert = 0f;
    /** Gaps strictly between remove_from and remove_to times the word gap are not spaces. */
    @JsonProperty public float remove_from = 0f;
    @JsonProperty public float remove_to = 0f;
    /** Crops whose ink/background split (Otsu variance ratio) is below this are left alone. */
    @JsonProperty public float min_separation = 0.8f;
    /** A line where more than this share of the model's spaces would be dropped is left alone. */
    @JsonProperty public float max_overruled = 0.2f;
  }

  /** Direction classifier settings. */
  public static final class Classifier {
    @JsonProperty public int height = 48;
    @JsonProperty public int width = 192;
    @JsonProperty public String channel_order = "bgr";
    @JsonProperty public List<String> labels = new ArrayList<>(List.of("0", "180"));
    @JsonProperty public float threshold = 0.9f;
  }

  /** Checks the values; the message names the offending key. */
  void validate() {
    require(name != null && !name.isBlank(), "name is required");
    require(batching != null, "batching must not be empty");
    batching.validate();
    require(files.detection != null, "files.detection is required");
    require(files.recognition != null, "files.recognition is required");
    require(files.dictionary != null, "files.dictionary is required");
    require(files.lexicon == null || !files.lexicon.isBlank(), "files.lexicon must not be blank (leave it out for none)");
    require(mean(detection.mean) && mean(detection.std), "detection.mean and detection.std need 3 values");
    require(detection.std.stream().allMatch(v -> v > 0), "detection.std values must be positive");
    require(order(detection.channel_order), "detection.channel_order must be rgb or bgr");
    require(order(recognition.channel_order), "recognition.channel_order must be rgb or bgr");
    require(order(classifier.channel_order), "classifier.channel_order must be rgb or bgr");
    require(unit(detection.thresh) && unit(detection.box_thresh), "detection thresholds must be in [0, 1]");
    require(detection.unclip_ratio > 0, "detection.unclip_ratio must be positive");
    require(detection.max_candidates > 0, "detection.max_candidates must be positive");
    require(unit(recognition.score_threshold), "recognition.score_threshold must be in [0, 1]");
    require(recognition.tall_ratio > 0, "recognition.tall_ratio must be positive");
    require(unit(recognition.word_space_probability), "recognition.word_space_probability must be in [0, 1]");
    require(unit(recognition.lexicon_space_probability), "recognition.lexicon_space_probability must be in [0, 1]");
    require(recognition.lexicon_space_probability == 0 || files.lexicon != null,
        "recognition.lexicon_space_probability needs files.lexicon to confirm the spaces (set it to 0 without a word list)");
    require(recognition.lexicon_respell_ratio >= 0 && recognition.lexicon_respell_ratio <= 1,
        "recognition.lexicon_respell_ratio must be in [0, 1] (0 = off)");
    require(recognition.lexicon_respell_ratio == 0 || files.lexicon != null,
        "recognition.lexicon_respell_ratio needs files.lexicon to know the words (set it to 0 without a word list)");
    require(recognition.latin_unclip_ratio >= 0 && recognition.latin_unclip_ratio <= 10,
        "recognition.latin_unclip_ratio must be in [0, 10] (0 = off)");
    require(recognition.word_gaps != null, "recognition.word_gaps must not be empty");
    WordGaps gaps = recognition.word_gaps;
    require(gaps.insert >= 0 && gaps.insert <= 10, "recognition.word_gaps.insert must be in [0, 10]");
    require(unit(gaps.remove_from) && unit(gaps.remove_to) && gaps.remove_from <= gaps.remove_to,
        "recognition.word_gaps: need 0 <= remove_from <= remove_to <= 1");
    require(gaps.insert == 0 || gaps.insert >= gaps.remove_to,
        "recognition.word_gaps.insert must be 0 or at least remove_to");
    require(unit(gaps.min_separation) && unit(gaps.max_overruled),
        "recognition.word_gaps.min_separation and max_overruled must be in [0, 1]");
    require(classifier.labels.size() == 2 && classifier.labels.contains("180"),
        "classifier.labels must be two labels, one of them \"180\"");
    try {
      detection.resize();
      recognition.resize();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static boolean mean(List<Float> v) {
    return v != null && v.size() == 3;
  }

  private static boolean order(String s) {
    return "bgr".equals(s) || "rgb".equals(s);
  }

  private static boolean unit(float v) {
    return v >= 0 && v <= 1;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
