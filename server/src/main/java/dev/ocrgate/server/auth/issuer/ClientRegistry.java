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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public final class ClientRegistry {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Map<String, RegisteredClient> clients;

  private ClientRegistry(Map<String, RegisteredClient> clients) {
    this.clients = Map.copyOf(clients);
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
