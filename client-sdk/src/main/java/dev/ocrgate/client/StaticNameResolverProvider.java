package dev.ocrgate.client;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code static://} targets ({@link StaticTarget}) for grpc-java channels. Registered in
 * the default registry by {@link #ensureRegistered()} (called before an {@link OcrClient} builds
 * a static target's channel), so other channels in the process may use the scheme too.
 */
final class StaticNameResolverProvider extends NameResolverProvider {
  private static final StaticNameResolverProvider INSTANCE = new StaticNameResolverProvider();
  private static volatile boolean registered;

  private StaticNameResolverProvider() {}

  static StaticNameResolverProvider instance() {
    return INSTANCE;
  }

  /** Registers the provider once per process. */
  static void ensureRegistered() {
    if (!registered) {
      synchronized (StaticNameResolverProvider.class) {
        if (!registered) {
          NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
          registered = true;
        }
      }
    }
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!StaticTarget.SCHEME.equalsIgnoreCase(targetUri.getScheme())) {
      return null;
    }
    return new StaticNameResolver(StaticTarget.parse(targetUri), args);
  }

  @Override
  public String getDefaultScheme() {
    return StaticTarget.SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
