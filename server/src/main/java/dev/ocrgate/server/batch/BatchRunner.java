package dev.ocrgate.server.batch;

import java.util.List;

/**
 * Runs one batch on the resources of one worker (e.g. its own inference session). Each worker of
 * a {@link DynamicBatcher} owns one runner and calls it from its own thread only, so a runner needs
 * no synchronisation of its own.
 *
 * @param <I> one item's input
 * @param <O> one item's output
 */
@FunctionalInterface
public interface BatchRunner<I, O> {
  /**
   * Runs {@code inputs} as one batch.
   *
   * @param shapeKey the shape shared by every input of the batch (null when items carry none)
   * @param inputs between 1 and {@code max_batch_size} inputs, oldest first
   * @return one output per input, in the same order
   * @throws Exception any failure; every item of the batch then fails (a {@link
   *     io.grpc.StatusException} keeps its status, anything else becomes INTERNAL)
   */
  List<O> run(Object shapeKey, List<I> inputs) throws Exception;
}
