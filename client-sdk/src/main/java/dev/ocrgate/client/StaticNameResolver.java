package dev.ocrgate.client;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The name resolver of a {@link StaticTarget}: one address group per replica (a replica whose
 * host resolves to several addresses is one group: the load balancer treats it as one endpoint),
 * so {@code round_robin} spreads calls over the replicas. Host names are looked up on the
 * channel's offload executor, again on every {@link #refresh()} (the channel asks after a
 * connection fails).
 *
 * <p>Without a TLS name, each group carries its own host as authority override, so each replica's
 * certificate is checked against the host it was listed under; with one, the channel's authority
 * (the TLS name) applies to all.
 *
 * <p>Threading: {@code start}, {@code refresh} and {@code shutdown} run in the channel's
 * synchronization context, and so do the listener calls; {@code resolving} and {@code listener}
 * are only touched there.
 */
final class StaticNameResolver extends NameResolver {
  private final StaticTarget target;
  private final String overrideAuthority; // the channel's overrideAuthority(), or null
  private final Executor executor;
  private final SynchronizationContext syncContext;
  private Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  StaticNameResolver(StaticTarget target, Args args) {
    this.target = target;
    this.overrideAuthority = args.getOverrideAuthority();
    this.executor = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : Runnable::run;
    this.syncContext = args.getSynchronizationContext();
  }

  @Override
  public String getServiceAuthority() {
    return target.serviceAuthority();
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    executor.execute(() -> {
      List<EquivalentAddressGroup> groups;
      Status error = null;
      try {
        groups = groups();
      } catch (UnknownHostException e) {
        groups = null;
        error = Status.UNAVAILABLE.withDescription("cannot resolve replica host " + e.getMessage());
      }
      List<EquivalentAddressGroup> result = groups;
      Status failure = error;
      syncContext.execute(() -> deliver(result, failure));
    });
  }

  private void deliver(List<EquivalentAddressGroup> groups, Status error) {
    resolving = false;
    if (shutdown) {
      return;
    }
    if (error != null) {
      listener.onError(error);
    } else {
      listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
    }
  }

  private List<EquivalentAddressGroup> groups() throws UnknownHostException {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (StaticTarget.HostPort replica : target.replicas()) {
      List<SocketAddress> addresses = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(replica.host())) {
        addresses.add(new InetSocketAddress(a, replica.port()));
      }
      Attributes attrs = Attributes.EMPTY;
      if (target.tlsName() == null && overrideAuthority == null) {
        attrs = Attributes.newBuilder()
            .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, replica.authority()).build();
      }
      groups.add(new EquivalentAddressGroup(addresses, attrs));
    }
    return groups;
  }
}
