package dev.ocrgate.server.observability;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;

/**
 * Where a dependency reports its state to the server's health service, by service name (its own,
 * a gRPC service's, or "" for the whole server). The server that hands it out keeps its overall
 * status (and {@code /readyz}) in step with "" and ignores reports once it is shutting down.
 */
@FunctionalInterface
public interface HealthReporter {
  void report(String service, ServingStatus status);
}
