package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RepeatedTailTest {
  @Test
  void cut_unitRepeatedUntilMaxTokens_keepsOneCopy() {
    String head = "Invoice 2024-117\nTotal: 42.00\n";
    String unit = "<ref>Thank you</ref><quad>(10,900),(300,940)</quad>";
    assertThat(RepeatedTail.cut(head + unit.repeat(40))).isEqualTo(head + unit);
  }

  @Test
  void cut_trailingWhitespaceAfterTheRepetition_isIgnored() {
    assertThat(RepeatedTail.cut("a" + "的的的的的的的的".repeat(10) + "\n")).isEqualTo("a的");
  }

  @Test
  void cut_shortRunsThatArePlausiblyOnThePage_areKept() {
    String leaders = "Chapter 1 ..........";
    assertThat(RepeatedTail.cut(leaders)).isEqualTo(leaders);
    String rule = "Totals\n----------------------------------------";
    assertThat(RepeatedTail.cut(rule)).isEqualTo(rule); // 40 chars < the 64-character span
    String nine = "x" + "abcdefgh".repeat(9); // nine copies: below the repeat threshold
    assertThat(RepeatedTail.cut(nine)).isEqualTo(nine);
  }

  @Test
  void cut_ordinaryText_isUnchanged() {
    String t = "[{\"box\":[1,2,3,4],\"text\":\"a\"},{\"box\":[5,6,7,8],\"text\":\"b\"}]";
    assertThat(RepeatedTail.cut(t)).isSameAs(t);
    assertThat(RepeatedTail.cut("")).isEmpty();
  }

  @Property(tries = 200)
  void cut_anyHeadFollowedByTenOrMoreCopies_endsWithExactlyOneCopy(
      @ForAll @StringLength(max = 40) String head,
      @ForAll @StringLength(min = 8, max = 60) String unit,
      @ForAll @IntRange(min = 10, max = 30) int copies) {
    if (unit.isBlank() || !unit.equals(unit.strip()) || (unit + unit).indexOf(unit, 1) < unit.length()) {
      return; // blank, padded, or itself a repetition of a shorter unit (which the cut finds first)
    }
    String cut = RepeatedTail.cut(head + unit.repeat(copies));
    assertThat(cut).endsWith(unit);
    assertThat(cut.length()).isLessThanOrEqualTo(head.length() + unit.length());
    assertThat((head + unit).startsWith(cut.substring(0, Math.min(cut.length(), head.length())))).isTrue();
  }
}
