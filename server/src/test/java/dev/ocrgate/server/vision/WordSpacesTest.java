package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordSpacesTest {
  private static CtcDecoder.Emitted emitted(String symbols, float... spaceAfter) {
    List<String> s = symbols.codePoints().mapToObj(Character::toString).toList();
    return new CtcDecoder.Emitted(s, spaceAfter, new float[spaceAfter.length], 0.9f);
  }

  private static final LexiconSpaces LISTED = new LexiconSpaces(Lexicon.of(List.of(
      "covered", "work", "law", "except", "sources", "list", "sale", "or")));

  /** {@code symbols} with space probability {@code p} after the symbols at {@code after}, 0 elsewhere. */
  private static CtcDecoder.Emitted heardAt(String symbols, float p, int... after) {
    float[] space = new float[symbols.codePointCount(0, symbols.length())];
    for (int i : after) {
      space[i] = p;
    }
    return emitted(symbols, space);
  }

  @Test
  void verify_aFaintSpace_isAddedWhereTheWordListConfirmsIt() {
    WordSpaces spaces = new WordSpaces(0.1f, WordSpaces.Gaps.OFF, 0.01f, LISTED);
    assertThat(spaces.text(heardAt("coveredwork", 0.01f, 6))).isEqualTo("covered work");
    assertThat(spaces.text(heardAt("coveredwork", 0.0099f, 6))).as("below the setting").isEqualTo("coveredwork");
    assertThat(spaces.text(heardAt("coveredwork", 0.05f, 4))).as("cover + edwork: not words").isEqualTo("coveredwork");
    assertThat(new WordSpaces(0.1f).text(heardAt("coveredwork", 0.05f, 6))).as("no word list").isEqualTo("coveredwork");
    assertThat(spaces.text(heardAt("sale,or", 0.05f, 4))).isEqualTo("sale, or");
  }

  @Test
  void verify_afterAFullStop_onlyBeforeACapital() {
    WordSpaces spaces = new WordSpaces(0.1f, WordSpaces.Gaps.OFF, 0.01f, LISTED);
    assertThat(spaces.text(heardAt("LAW.EXCEPT", 0.05f, 3))).isEqualTo("LAW. EXCEPT");
    assertThat(spaces.text(heardAt("sources.list", 0.05f, 7))).isEqualTo("sources.list");
  }

  @Test
  void verify_printIsNotOffered() {
    WordSpaces spaces = new WordSpaces(0.1f, WordSpaces.Gaps.OFF, 0.01f, LISTED);
    assertThat(spaces.spaced(heardAt("coveredwork", 0.05f, 6), null, 0).said()).isEqualTo("coveredwork");
    assertThat(spaces.spaced(heardAt("coveredwork", 0.05f, 6), null, 0).withHeard()).isEqualTo("covered work");
  }

  @Test
  void verify_aDecodedLineInAFrame_readsItsFrameText() {
    CtcDecoder.Decoded print = new CtcDecoder.Decoded("coveredwork", 0.9f, 1, 2, "covered work");
    assertThat(print.inFrame()).isEqualTo(new CtcDecoder.Decoded("covered work", 0.9f, 1, 2, "covered work"));
    CtcDecoder.Decoded same = new CtcDecoder.Decoded("covered work", 0.9f);
    assertThat(same.inFrame()).isSameAs(same);
  }

  @Test
  void verify_aLineWithAnotherScript_isNotOffered() {
    WordSpaces spaces = new WordSpaces(0.1f, WordSpaces.Gaps.OFF, 0.01f, LISTED);
    assertThat(spaces.text(heardAt("中coveredwork", 0.05f, 7))).isEqualTo("中coveredwork");
  }

  @Test
  void verify_faintSpacesWithoutAWordList_areRefused() {
    assertThatThrownBy(() -> new WordSpaces(0.1f, WordSpaces.Gaps.OFF, 0.01f, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_spaceHeardBetweenLatinLetters_isInserted() {
    CtcDecoder.Emitted e = emitted("Thestorm", 0, 0.001f, 0.3f, 0, 0.008f, 0, 0, 0);
    assertThat(new WordSpaces(0.02f).text(e)).isEqualTo("The storm");
  }

  @Test
  void verify_atTheThreshold_isASpace_justBelow_isNot() {
    assertThat(new WordSpaces(0.02f).text(emitted("ab", 0.02f, 0))).isEqualTo("a b");
    assertThat(new WordSpaces(0.02f).text(emitted("ab", 0.0199f, 0))).isEqualTo("ab");
  }

  @Test
  void verify_nextToChinese_orAnEmittedSpace_nothingChanges() {
    assertThat(new WordSpaces(0.02f).text(emitted("中a文", 0.9f, 0.9f, 0.9f))).isEqualTo("中a文");
    assertThat(new WordSpaces(0.02f).text(emitted("a b", 0.9f, 0.9f, 0))).isEqualTo("a b");
    assertThat(new WordSpaces(0.02f).text(emitted("a", 0.9f))).isEqualTo("a");
  }

  @Test
  void verify_digitsAndAccentedLetters_areLatin_punctuationNeverGetsASpace() {
    assertThat(new WordSpaces(0.02f).text(emitted("2024Déjà", 0, 0, 0, 0.5f, 0, 0, 0, 0))).isEqualTo("2024 Déjà");
    assertThat(new WordSpaces(0.02f).text(emitted("2/233", 0.5f, 0.5f, 0, 0, 0))).isEqualTo("2/233");
  }

  @Test
  void verify_afterACommaOrSemicolon_aHeardSpaceIsInserted_afterOtherPunctuation_never() {
    // "general,the" on a justified page line: the space class rises after the comma
    assertThat(new WordSpaces(0.1f).text(emitted("al,the", 0, 0, 0.4f, 0, 0, 0))).isEqualTo("al, the");
    assertThat(new WordSpaces(0.1f).text(emitted("a;b", 0, 0.4f, 0))).isEqualTo("a; b");
    // code keeps its commas tight when the model did not hear a space
    assertThat(new WordSpaces(0.1f).text(emitted("x,y", 0, 0.05f, 0))).isEqualTo("x,y");
    assertThat(new WordSpaces(0.1f).text(emitted("a.b:c", 0, 0.9f, 0, 0.9f, 0))).isEqualTo("a.b:c");
    // never before punctuation, nor next to Chinese
    assertThat(new WordSpaces(0.1f).text(emitted("a,,", 0, 0.9f, 0))).isEqualTo("a,,");
    assertThat(new WordSpaces(0.1f).text(emitted("中,文", 0.9f, 0.9f, 0))).isEqualTo("中,文");
  }

  /** Subtitle text loses the spaces around brackets and quotes: or(2) anything, A"User Product"is. */
  @Test
  void verify_aroundBracketsAndDoubleQuotes_aHeardSpaceIsInserted_onlyOnTheirOuterSide() {
    assertThat(new WordSpaces(0.1f).text(emitted("or(2)any", 0, 0.4f, 0, 0, 0.4f, 0, 0, 0))).isEqualTo("or (2) any");
    assertThat(new WordSpaces(0.1f).text(emitted("A\"User\"is", 0.3f, 0, 0, 0, 0, 0, 0.3f, 0, 0)))
        .isEqualTo("A \"User\" is");
    assertThat(new WordSpaces(0.1f).text(emitted("d]x", 0, 0.2f, 0))).isEqualTo("d] x");
    // never inside the brackets (after an opening one, before a closing one), nor between two marks
    assertThat(new WordSpaces(0.1f).text(emitted("f(x)", 0, 0.9f, 0.9f, 0))).isEqualTo("f(x)");
    assertThat(new WordSpaces(0.1f).text(emitted("a)(b", 0, 0.9f, 0.9f, 0))).isEqualTo("a)(b");
    // not heard enough: code stays tight
    assertThat(new WordSpaces(0.1f).text(emitted("printf(\"x\")", 0, 0, 0, 0, 0, 0.05f, 0.05f, 0, 0, 0, 0)))
        .isEqualTo("printf(\"x\")");
  }

  @Test
  void verify_off_returnsTheModelsText() {
    assertThat(new WordSpaces(0).text(emitted("Thestorm", 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f)))
        .isEqualTo("Thestorm");
    assertThatThrownBy(() -> new WordSpaces(1.5f)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_decoder_keepsTheSpaceClassPeakOnTheBlankStepsBetweenSymbols() {
    CharDictionary dict = CharDictionary.of(List.of("a", "b"));
    // classes: blank, a, b, space. steps: a | blank (space 0.3) | blank (space 0.1) | b | blank (space 0.05)
    float[] p = {
      0.1f, 0.9f, 0, 0,
      0.6f, 0.1f, 0, 0.3f,
      0.8f, 0.1f, 0, 0.1f,
      0.1f, 0, 0.9f, 0,
      0.9f, 0, 0.05f, 0.05f,
    };
    CtcDecoder.Emitted e = new CtcDecoder(dict).emitted(p, 0, 5, 4, 5);
    assertThat(e.symbols()).containsExactly("a", "b");
    assertThat(e.spaceAfter()).containsExactly(0.3f, 0.05f);
    assertThat(new WordSpaces(0.2f).text(e)).isEqualTo("a b");
  }
}
