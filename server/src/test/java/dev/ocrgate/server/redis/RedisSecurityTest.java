package dev.ocrgate.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocrgate.server.auth.RedisRevocationStore;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.issuer.FailureThrottle;
import dev.ocrgate.server.auth.issuer.RedisFailureThrottle;
import dev.ocrgate.server.auth.issuer.RedisRefreshTokenStore;
import dev.ocrgate.server.auth.issuer.RefreshGrant;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.EnvOverrides;
import dev.ocrgate.server.config.RedisSection;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.testing.CapturedLogs;
import dev.ocrgate.server.testing.RedisTestServer;
import dev.ocrgate.server.testing.TestTls;
import io.lettuce.core.RedisException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Redis credentials and TLS against real redis-server processes: {@code --requirepass}, an ACL
 * user, a TLS listener with the dev CA; config handling of the password; and what the stores do
 * when a {@code noeviction} Redis is out of memory (fail loudly, never pretend).
 */
class RedisSecurityTest {
  private static final String PASSWORD = "redis-pw-" + UUID.randomUUID();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void requirepass_linkWithThePasswordWorks_withoutOrWrongIsRefused_andThePasswordIsNeverLogged() {
    ListAppender<ILoggingEvent> logs = captureLogs();
    try (RedisTestServer server = RedisTestServer.start(List.of("--requirepass", PASSWORD))) {
      try (RedisLink none = RedisLink.create(server.url(), TIMEOUT)) {
        assertThatThrownBy(() -> none.sync().set("k", "v")).isInstanceOf(RedisException.class);
      }
      try (RedisLink wrong = RedisLink.create(server.url(), TIMEOUT, null, "wrong".toCharArray(), null)) {
        assertThatThrownBy(() -> wrong.sync().ping()).isInstanceOf(RedisException.class);
      }
      try (RedisLink right = RedisLink.create(server.url(), TIMEOUT, null, PASSWORD.toCharArray(), null)) {
        assertThat(right.sync().set("k", "v")).isEqualTo("OK");
      }
    } finally {
      detach(logs);
    }
    List<ILoggingEvent> events = CapturedLogs.snapshot(logs);
    assertThat(events).isNotEmpty();
    for (ILoggingEvent e : events) {
      assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD).doesNotContain("wrong");
    }
  }

  @Test
  void aclUser_authenticatesWithUserAndPassword_theDefaultUserIsOff() {
    try (RedisTestServer server = RedisTestServer.start(List.of(
        "--user", "default", "off", "--user", "ocrgate", "on", ">" + PASSWORD, "~*", "&*", "+@all"))) {
      try (RedisLink asDefault = RedisLink.create(server.url(), TIMEOUT, null, PASSWORD.toCharArray(), null)) {
        assertThatThrownBy(() -> asDefault.sync().ping()).isInstanceOf(RedisException.class);
      }
      try (RedisLink asUser = RedisLink.create(server.url(), TIMEOUT, "ocrgate", PASSWORD.toCharArray(), null)) {
        assertThat(asUser.sync().aclWhoami()).isEqualTo("ocrgate");
      }
    }
  }

  @Test
  void tls_withTheCaFile_connectsAndVerifiesTheServer_withoutItIsRefused() throws Exception {
    int tlsPort = RedisTestServer.freePort();
    var certs = TestTls.certs();
    try (RedisTestServer server = RedisTestServer.start(List.of(
        "--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", certs.serverCert().toString(),
        "--tls-key-file", certs.dir().resolve("server.key").toString(),
        "--tls-ca-cert-file", certs.caCert().toString(),
        "--tls-auth-clients", "no",
        "--requirepass", PASSWORD))) {
      String url = "rediss://localhost:" + tlsPort;
      try (RedisLink trusted = RedisLink.create(url, TIMEOUT, null, PASSWORD.toCharArray(), certs.caCert())) {
        assertThat(trusted.sync().ping()).isEqualTo("PONG");
      }
      try (RedisLink untrusted = RedisLink.create(url, TIMEOUT, null, PASSWORD.toCharArray(), null)) {
        assertThatThrownBy(() -> untrusted.sync().ping()).isInstanceOf(RedisException.class);
      }
    }
  }

  @Test
  void config_passwordFromFileOrEnv_neverFromTheUrl() throws Exception {
    RedisSection r = new RedisSection();
    r.url = "redis://:" + PASSWORD + "@127.0.0.1:6379";
    assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.password_file").hasMessageNotContaining(PASSWORD);

    r.url = "redis://127.0.0.1:6379";
    r.validate();
    assertThat(r.password(Map.of("OCRGATE_REDIS_PASSWORD", PASSWORD)::get)).isEqualTo(PASSWORD.toCharArray());
    assertThat(r.password(Map.<String, String>of()::get)).isNull();

    Path file = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    r.password_file = file.toString();
    assertThat(r.password(Map.of("OCRGATE_REDIS_PASSWORD", "other")::get)).isEqualTo(PASSWORD.toCharArray());

    // the password variable is read by the Redis link, not taken for a configuration key
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    assertThat(EnvOverrides.apply(tree, Map.of("OCRGATE_REDIS_PASSWORD", PASSWORD))).isEmpty();
    assertThat(tree.toString()).doesNotContain(PASSWORD);

    r.tls_ca_file = file.toString();
    assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class).hasMessageContaining("rediss://");
  }

  @Test
  void outOfMemoryNoeviction_revocationAndRefreshWritesFailLoudly_throttleCountsLocally() throws Exception {
    try (RedisTestServer server = RedisTestServer.start(List.of("--maxmemory-policy", "noeviction"));
        RedisLink link = RedisLink.create(server.url(), TIMEOUT)) {
      assertThat(link.sync().configSet("maxmemory", "1")).isEqualTo("OK"); // any write is now over the limit
      Clock clock = Clock.systemUTC();

      RedisRevocationStore revocations = RedisRevocationStore.create(link, clock);
      RevocationStore.Scope scope = new RevocationStore.Scope("ocrgate", "acme");
      assertThatThrownBy(() -> revocations.revokeJti(scope, "jti-1", Instant.now().plusSeconds(60)))
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> revocations.revokeSubjectBefore(scope, "sub", Instant.now(), Duration.ofHours(1)))
          .isInstanceOf(StoreUnavailableException.class);

      RedisRefreshTokenStore refresh = RedisRefreshTokenStore.create(link);
      RefreshGrant grant = new RefreshGrant("fam", "client", "sub", "acme", List.of("ocr:recognize"), 1L, 1L, "fp");
      assertThatThrownBy(() -> refresh.save("h", grant, Duration.ofMinutes(5)))
          .isInstanceOf(StoreUnavailableException.class);

      FailureThrottle throttle = RedisFailureThrottle.create(link, 1, Duration.ofMinutes(5), Metrics.noop(), 100);
      throttle.recordFailure("app");
      assertThat(throttle.blocked("app")).as("the failure was counted on this replica").isTrue();
      assertThat(link.sync().dbsize()).isZero();
    }
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    return logs;
  }

  private static void detach(ListAppender<ILoggingEvent> logs) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }
}
