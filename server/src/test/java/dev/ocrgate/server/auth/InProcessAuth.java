package dev.ocrgate.server.auth;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** An in-process server with {@link RecordingOcrService} behind an interceptor, for fast tests. */
final class InProcessAuth implements AutoCloseable {
  final RecordingOcrService service = new RecordingOcrService();
  final Server server;
  final ManagedChannel channel;

  InProcessAuth(ServerInterceptor interceptor) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, interceptor)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  OcrServiceGrpc.OcrServiceBlockingStub stub(String authorization) {
    Metadata md = new Metadata();
    if (authorization != null) {
      md.put(JwtAuthInterceptor.AUTHORIZATION, authorization);
    }
    return OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
