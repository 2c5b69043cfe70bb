package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretHashTest {
  private static final SecretHash HASH = SecretHash.hash("s3cret-value".toCharArray(), SecretHash.MIN_ITERATIONS);

  @Test
  void matches_rightSecret_isTrue_wrongSecret_isFalse() {
    assertThat(HASH.matches("s3cret-value".toCharArray())).isTrue();
    assertThat(HASH.matches("s3cret-valuf".toCharArray())).isFalse();
    assertThat(HASH.matches("".toCharArray())).isFalse();
  }

  @Test
  void encode_roundTripsThroughParse() {
    String encoded = HASH.encode();

    assertThat(encoded).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(SecretHash.parse(encoded).matches("s3cret-value".toCharArray())).isTrue();
  }

  @Test
  void hash_sameSecretTwice_usesDifferentSalts() {
    SecretHash other = SecretHash.hash("s3cret-value".toCharArray(), SecretHash.MIN_ITERATIONS);
    assertThat(other.encode()).isNotEqualTo(HASH.encode());
  }

  @Test
  void parse_tooFewIterations_isRejected() {
    String weak = HASH.encode().replace("$210000$", "$1000$");
    assertThatThrownBy(() -> SecretHash.parse(weak))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("210000");
  }

  @Test
  void parse_malformed_isRejectedWithoutEchoingTheValue() {
    for (String bad : new String[] {null, "", "plaintext-secret", "bcrypt$x$y$z", "pbkdf2-sha256$abc$x$y",
        "pbkdf2-sha256$210000$!!!$###"}) {
      assertThatThrownBy(() -> SecretHash.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> {
            if (bad != null && !bad.isEmpty()) {
              assertThat(e.getMessage()).doesNotContain(bad);
            }
          });
    }
  }

  @Test
  void toString_showsNoHashOrSalt() {
    String encoded = HASH.encode();
    String[] parts = encoded.split("\\$");
    assertThat(HASH.toString()).doesNotContain(parts[2]).doesNotContain(parts[3]);
  }
}
