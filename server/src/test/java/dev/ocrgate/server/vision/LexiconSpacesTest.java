package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.RepoPaths;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Word spaces checked against a word list: the joins and splits that must happen (split words
 * as the bench pages read them), the ones that must not (split forms that read as words, names,
 * digits, capitals), and the invariant that only whitespace changes.
 */
class LexiconSpacesTest {
  private static final Lexicon SMALL = Lexicon.of(List.of(
      "ratio", "rat", "size", "set", "sets", "stable", "unstable", "system", "middle", "mid",
      "daily", "equally", "true", "rue", "into", "in", "to", "apart", "a", "part", "there", "the", "re",
      "about", "out", "call", "for", "can", "be", "thunder", "bird", "gnu", "cash", "Io", "style",
      "Debian", "reference", "attribute", "noon", "on", "no", "style", "it", "is", "item", "items",
      "holder", "version", "that", "of", "case", "fort", "he", "even", "if", "data", "or", "here"));
  private static final LexiconSpaces SPACES = new LexiconSpaces(SMALL);

  private static LexiconSpaces shipped;

  @BeforeAll
  static void loadShippedList() throws Exception {
    Path file = RepoPaths.modelDir().resolve("english-words.txt");
    shipped = new LexiconSpaces(Lexicon.load(file));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rat io|ratio",
      "s i ze|size",
      "si ze,|size,",
      "rat i o was not set|ratio was not set",
      "stab le system|stable system",
      "such unstab le case|such unstable case",
      "mid dle|middle",
      // fewest unknown tokens first: not "sets i ze"
      "to set s i ze=\"x, y\"|to set size=\"x, y\"",
      // punctuation before the first part's letters and after the last part's
      "\"/etc/cron . dai ly/apt\"|\"/etc/cron . daily/apt\"",
      "rank sep=equa lly.|rank sep=equally.",
      "(rat io)|(ratio)",
      "Rat io|Ratio",
      // a lower-case part is not a word because of a capitalised entry (Io)
      "rat io.|ratio."})
  void verify_splitWordWithAPartThatIsNoWord_isJoined(String read, String expected) {
    assertThat(SPACES.line(read)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // every part a word: the lexicon cannot tell
      "in to", "a part", "the re", "rat Io",
      // the joined form is no word
      "rank sep", "node sep",
      // a capital after the first part: two names
      "mid Dle", "Debian Reference",
      // digits touching the letters, or inside a part
      "x2ab out", "ab out2", "s1 ize", "7 .5, 10",
      // punctuation between the parts
      "s. ize", "rat -io",
      // too short once joined
      "n o",
      // a token with punctuation inside counts as known: no unknown token to get rid of
      "rat io=compress",
      // six parts: more than MAX_PARTS
      "s t a b l e"})
  void verify_splitFormThatMayBeRight_staysSplit(String read) {
    assertThat(SPACES.line(read)).isSameAs(read);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "callfor|call for",
      "canbe|can be",
      "holderis|holder is",
      "thatversion|that version",
      "Callfor,|Call for,",
      "(canbe)|(can be)",
      // all capitals, as large subtitles lose their spaces (short-cue bench, tune part)
      "EVENIF|EVEN IF",
      "DATAOR DATA|DATA OR DATA",
      "CANBE,|CAN BE,"})
  void verify_twoWordsRunTogether_withAFunctionWord_areSplit(String read, String expected) {
    assertThat(SPACES.line(read)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      // two known words, but no function word: a name, not two words
      "thunderbird", "gnucash", "GNUCASH",
      // capitals in mixed text: a name (a held-out bench page's "Date and Time HOWTO")
      "Set CANBE here",
      // known as it is
      "attribute", "stable", "STABLE",
      // too short, capitals inside, digits
      "inon", "canBe", "CANbe", "canbe2", "can-be",
      // two ways to split (for+the, fort+he: both with a function word): left alone
      "forthe"})
  void verify_tokenThatMayBeOneWord_isNotSplit(String read) {
    assertThat(SPACES.line(read)).isSameAs(read);
  }

  @Test
  void verify_whitespaceElsewhere_isKeptAsItWas() {
    assertThat(SPACES.line("  the  rat io\tcase ")).isEqualTo("  the  ratio\tcase ");
    assertThat(SPACES.line("")).isEmpty();
    assertThat(SPACES.line("   ")).isEqualTo("   ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "If you don't specify s ize or rat io, then|If you don't specify size or ratio, then",
      "the security upgrade for the stab le system|the security upgrade for the stable system",
      "mainly intended for the unat t ended upgrade|mainly intended for the unattended upgrade",
      "This is allimportant in orderto|This is all important in order to",
      "It is available in gnome-termina l(1).|It is available in gnome-terminal(1)."})
  void verify_shippedWordList_repairsTheBenchPagesSplits(String read, String expected) {
    assertThat(shipped.line(read)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Set rank sep and node sep in the graph",
      "apt-get install thunderbird inkscape gnucash",
      "$ ls -l /usr/share/doc/ | grep cron",
      "for i in a b c; do echo $i; done",
      "The dot.1 page lists fontname, fillcolor and ranksep"})
  void verify_shippedWordList_leavesCommandsAndNamesAlone(String read) {
    assertThat(shipped.line(read)).isSameAs(read);
  }

  /** Offsets of the {@code |} marks in {@code marked}, and the line without them. */
  private static String heard(LexiconSpaces spaces, String marked) {
    List<Integer> at = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (char c : marked.toCharArray()) {
      if (c == '|') {
        at.add(line.length());
      } else {
        line.append(c);
      }
    }
    return spaces.heard(line.toString(), at.stream().mapToInt(Integer::intValue).toArray());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', value = {
      // the subtitle bench's run-together words, with the places the model heard a space
      "a covered|work of#a covered work of",
      "USE|OR|INABILITY#USE OR INABILITY",
      "the recipients|a copy#the recipients a copy",
      "A|patent license#A patent license",
      "for sale,|or#for sale, or",
      "APPLICABLE LAW.|EXCEPT#APPLICABLE LAW. EXCEPT",
      "Major|Component, or#Major Component, or",
      "An\"|entity|transaction\"#An\" entity transaction\"",
      // fewest cuts: a heard place inside a part stays shut
      "fin|ally|terminates your#finally terminates your",
      // ... also where the list has a rare word: ora (Latin, plural of os) is listed
      "PARTIES|OR|A#PARTIES ORA",
      // no cut: the token is a word, heard or not
      "in|to the#into the",
      "rat|io#ratio",
      // no cut: a part is not a word (a lone s is a fragment, nnn no word; digits are none)
      "holder|s#holders",
      "x|nnn|yyy#xnnnyyy",
      "cover|123#cover123"})
  void verify_heardPlaces_cutAnUnknownToken_onlyIntoKnownWords(String marked, String expected) {
    assertThat(heard(shipped, marked)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', value = {
      // a fragment of a word the model split (held-out pages): the joins mend it, no cut
      "The orient|at ion attribute#The orientat ion attribute",
      "x-terminal-emu lat|or program#x-terminal-emu lator program"})
  void verify_aFragmentOfASplitWord_isNotCut(String marked, String line) {
    assertThat(heard(shipped, marked)).isEqualTo(line);
    assertThat(shipped.line(heard(shipped, marked))).as("and the joins mend it").doesNotContain("at ion", "lat or");
  }

  @Test
  void verify_twoWaysWithTheFewestCuts_leaveTheToken() {
    LexiconSpaces spaces = new LexiconSpaces(Lexicon.of(List.of("for", "every", "fore", "very")));
    assertThat(heard(spaces, "for|e|very")).as("for every / fore very").isEqualTo("forevery");
    assertThat(heard(spaces, "for|every")).isEqualTo("for every");
  }

  @Test
  void verify_nothingHeard_returnsTheSameString() {
    String line = "coveredwork";
    assertThat(shipped.heard(line, new int[0])).isSameAs(line);
    assertThat(shipped.heard(line, new int[] {3})).isSameAs(line); // cove + redwork: not both words
  }

  @Property(tries = 300)
  void verify_heard_onlyAddsSpaces(@ForAll("lines") String line, @ForAll("offsets") List<Integer> at) {
    int[] heard = at.stream().filter(i -> i < line.length()).mapToInt(Integer::intValue).toArray();
    String out = SPACES.heard(line, heard);
    assertThat(out.replaceAll("\\s", "")).isEqualTo(line.replaceAll("\\s", ""));
    assertThat(out.length() - line.length()).isBetween(0, heard.length);
  }

  @Provide
  Arbitrary<List<Integer>> offsets() {
    return Arbitraries.integers().between(0, 60).list().ofMaxSize(8);
  }

  @Property(tries = 300)
  void verify_onlyWhitespaceChanges(@ForAll("lines") String line) {
    String out = SPACES.line(line);
    assertThat(out.replaceAll("\\s", "")).isEqualTo(line.replaceAll("\\s", ""));
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> token = Arbitraries.of("rat", "io", "s", "i", "ze", "set", "call", "for", "callfor",
        "stab", "le", "x2", "=", ".", "\"/etc/cron", "dai", "ly/apt\"", "Io", "canbe", "7", "-",
        "holderis", "itemsa", "DATAOR", "case,fort");
    Arbitrary<String> gap = Arbitraries.of(" ", "  ", "\t");
    return Arbitraries.lazy(() -> token.list().ofMinSize(0).ofMaxSize(12)).flatMap(tokens ->
        gap.list().ofSize(tokens.size()).map(gaps -> {
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < tokens.size(); i++) {
            b.append(gaps.get(i)).append(tokens.get(i));
          }
          return b.toString();
        }));
  }
}
