package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Word lookup: case as a reader takes it, single letters, what a word list file keeps. */
class LexiconTest {
  private static final Lexicon WORDS = Lexicon.of(List.of("size", "Debian", "Io", "a", "s", "t"));

  @Test
  void verify_case_followsTheEntry() {
    assertThat(WORDS.known("size")).isTrue();
    assertThat(WORDS.known("Size")).isTrue();
    assertThat(WORDS.known("SIZE")).isTrue();
    assertThat(WORDS.known("sIze")).isFalse();
    assertThat(WORDS.known("Debian")).isTrue();
    assertThat(WORDS.known("DEBIAN")).isTrue();
    assertThat(WORDS.known("debian")).isFalse();
    // a lower-case word is not known from a capitalised entry
    assertThat(WORDS.known("Io")).isTrue();
    assertThat(WORDS.known("io")).isFalse();
  }

  @Test
  void verify_singleLetters_areWordsOnlyAsAOrI() {
    assertThat(WORDS.known("a")).isTrue();
    assertThat(WORDS.known("A")).isTrue();
    assertThat(WORDS.known("I")).isTrue();
    assertThat(WORDS.known("s")).isFalse();
    assertThat(WORDS.known("t")).isFalse();
  }

  @Test
  void verify_nonLetters_areNeverWords() {
    assertThat(WORDS.known("")).isFalse();
    assertThat(WORDS.known("size2")).isFalse();
    assertThat(WORDS.known("size,")).isFalse();
  }

  @Test
  void verify_load_skipsCommentsBlanksAndEntriesOfOtherCharacters(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("words.txt");
    Files.writeString(file, "# a comment\n\nratio\nDebian's\ncafé\n  size  \n");
    Lexicon lexicon = Lexicon.load(file);
    assertThat(lexicon.size()).isEqualTo(2);
    assertThat(lexicon.known("ratio")).isTrue();
    assertThat(lexicon.known("size")).isTrue();
    assertThat(lexicon.known("comment")).isFalse();
  }
}
