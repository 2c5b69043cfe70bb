package dev.ocrgate.server.auth.issuer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients allowed to obtain tokens, read once from a YAML file:
 *
 * <pre>
 * clients:
 *   - id: scanner-app
 *     secret_hash: pbkdf2-sha256$210000$...$...   # from `ocrgate clients hash-secret`
 *     tenant: acme
 *     scopes: [ocr:recognize, ocr:stream]
 *     subject: scanner-app                        # optional, default = id
 * </pre>
 *
 * Secrets exist only as hashes; a bad entry is a {@link ConfigException} naming the client and the
 * field, never the value. Immutable and thread-safe.
 *
 * <p>Unknown ids: {@link #unknownClientHash} is a hash of a random secret with the parameters of
 * the most expensive configured hash (iterations, salt and hash length), made once at load, so a
 * request for an unknown id does the same PBKDF2 work as one for the costliest real client and the
 * answer time does not tell which ids exist. Give every client the same parameters (the default of
 * {@code ocrgate clients hash-secret}); a registry with different costs logs a warning, because
 * the cheaper clients' answers are then faster than an unknown id's.
 */
public final class ClientRegistry {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);

  private final Map<String, RegisteredClient> clients;
  private final SecretHash unknownClientHash;

  private ClientRegistry(Map<String, RegisteredClient> clients) {
    this.clients = Map.copyOf(clients);
    this.unknownClientHash = costliest(clients.values()).sameCostDummy();
  }

  /** A registry of the given clients (tests, embedding). */
  public static ClientRegistry of(List<RegisteredClient> list) {
    Map<String, RegisteredClient> map = new HashMap<>();
    for (RegisteredClient c : list) {
      if (map.put(c.id(), c) != null) {
        throw new ConfigException("client '" + c.id() + "' is listed twice");
      }
    }
    return new ClientRegistry(map);
  }

  /** Loads and validates {@code file}. */
  public static ClientRegistry load(Path file) {
    FileModel model;
    try {
      model = YAML.readValue(Files.readAllBytes(file), FileModel.class);
    } catch (IOException e) {
      // Jackson's message may quote the offending line, which could hold a hash: keep it out.
      throw new ConfigException("cannot read clients file " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
    List<RegisteredClient> list = new ArrayList<>();
    for (ClientModel c : model == null ? List.<ClientModel>of() : model.clients) {
      list.add(toClient(c, file));
    }
    return of(list);
  }

  /** The client with {@code id}, if configured. */
  public Optional<RegisteredClient> find(String id) {
    return Optional.ofNullable(clients.get(id));
  }

  public int size() {
    return clients.size();
  }

  /**
   * The hash an unknown id is checked against: same iterations, salt and hash length as the
   * costliest configured client (the minimum parameters when there is none), random secret.
   */
  public SecretHash unknownClientHash() {
    return unknownClientHash;
  }

  private static SecretHash costliest(Collection<RegisteredClient> list) {
    SecretHash max = null;
    Set<Long> costs = new HashSet<>();
    for (RegisteredClient c : list) {
      costs.add(c.secret().cost());
      if (max == null || c.secret().cost() > max.cost()) {
        max = c.secret();
      }
    }
    if (costs.size() > 1) {
      log.warn("clients' secret hashes have {} different PBKDF2 costs: unknown ids cost as much as the costliest, "
          + "so a cheaper client's answers are faster; re-hash all secrets with the same iterations", costs.size());
    }
    return max != null ? max : SecretHash.minimumCostTemplate();
  }

  private static RegisteredClient toClient(ClientModel c, Path file) {
    if (c.id == null || c.id.isBlank()) {
      throw new ConfigException(file + ": a client without an id");
    }
    SecretHash hash;
    try {
      hash = SecretHash.parse(c.secret_hash);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": client '" + c.id + "' secret_hash: " + e.getMessage());
    }
    if (c.scopes.isEmpty()) {
      throw new ConfigException(file + ": client '" + c.id + "' has no scopes");
    }
    String subject = c.subject == null || c.subject.isBlank() ? c.id : c.subject;
    return new RegisteredClient(c.id, hash, new LinkedHashSet<>(c.scopes), c.tenant, subject);
  }

  /** The file's shape, for Jackson. */
  static final class FileModel {
    @JsonProperty public List<ClientModel> clients = new ArrayList<>();
  }

  /** One entry, for Jackson. */
  static final class ClientModel {
    @JsonProperty public String id;
    @JsonProperty public String secret_hash;
    @JsonProperty public String tenant;
    @JsonProperty public List<String> scopes = new ArrayList<>();
    @JsonProperty public String subject;
  }
}
