package dev.ocrgate.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code static://[tls-name]/host1:port1,host2:port2,...} target: a fixed list of
 * replicas reached through one channel (round-robin over them).
 *
 * <p>TLS: each replica's certificate is verified against its own {@code host} from the list;
 * with a {@code tls-name} (the URI's authority, e.g. {@code static://ocr.example.com/10.0.0.1:8443,
 * 10.0.0.2:8443}) every replica is verified against that name instead, for certificates issued
 * to the service name rather than to each address. Hosts are names or IPv4 literals (an IPv6
 * literal's brackets are not allowed in a URI path).
 */
record StaticTarget(String tlsName, List<HostPort> replicas) {
  static final String SCHEME = "static";

  /** One {@code host:port} of the list. */
  record HostPort(String host, int port) {
    String authority() {
      return host + ":" + port;
    }
  }

  StaticTarget {
    replicas = List.copyOf(replicas);
  }

  static boolean isStatic(String target) {
    return target.regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1);
  }

  /** @throws IllegalArgumentException naming what is wrong with {@code target} */
  static StaticTarget parse(String target) {
    try {
      return parse(new URI(target));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("static target must be static://[tls-name]/host:port,host:port..., was '"
          + target + "': " + e.getReason());
    }
  }

  static StaticTarget parse(URI uri) {
    String path = uri.getPath();
    if (!SCHEME.equalsIgnoreCase(uri.getScheme()) || path == null || path.length() < 2 || path.charAt(0) != '/') {
      throw new IllegalArgumentException("static target must be static://[tls-name]/host:port,host:port..., was '"
          + uri + "'");
    }
    List<HostPort> replicas = new ArrayList<>();
    for (String entry : path.substring(1).split(",", -1)) {
      replicas.add(hostPort(entry, uri));
    }
    String authority = uri.getAuthority();
    return new StaticTarget(authority == null || authority.isEmpty() ? null : authority, replicas);
  }

  /** The channel's authority: the TLS name when given, else the first replica's. */
  String serviceAuthority() {
    return tlsName != null ? tlsName : replicas.get(0).authority();
  }

  private static HostPort hostPort(String entry, URI uri) {
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException("static target entry '" + entry + "' of '" + uri + "' must be host:port");
    }
    String host = entry.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(entry.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535 || host.contains(":")) {
      throw new IllegalArgumentException("static target entry '" + entry + "' of '" + uri
          + "' must be host:port with a port in [1, 65535]");
    }
    return new HostPort(host, port);
  }
}
