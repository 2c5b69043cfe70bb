package dev.ocrgate.client;

import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The blocking form of {@link OcrClient#streamFrames}: one thread {@link #send}s frames and
 * {@link #complete}s, another iterates the results (each frame's result exactly once, in order).
 *
 * <p>Memory stays bounded: {@code send} blocks while {@code 2 × window} frames are sent but their
 * results not yet taken by the iterator (so a consumer that stops reading stops the producer).
 * The iterator's {@code hasNext} blocks until a result, the end, or a failure, which it throws as
 * the {@link StatusRuntimeException} the stream ended with. {@link #close} cancels an unfinished
 * stream.
 */
public final class BlockingFrameStream implements Iterable<FrameResult>, AutoCloseable {
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Semaphore untaken;
  private FrameStream stream;
  private Object head; // next event, taken by the iterator's thread only
  private boolean finished;

  BlockingFrameStream(int window) {
    this.untaken = new Semaphore(2 * window);
  }

  void attach(FrameStream stream) {
    this.stream = stream;
  }

  FrameListener listener() {
    return new FrameListener() {
      @Override
      public void onResult(FrameResult result) {
        events.add(result);
      }

      @Override
      public void onCompleted() {
        events.add(END);
      }

      @Override
      public void onError(StatusRuntimeException error) {
        events.add(error);
      }
    };
  }

  /**
   * Sends a frame; blocks while the window is full or too many results are not yet taken.
   *
   * @see FrameStream#send
   */
  public void send(Frame frame) throws InterruptedException {
    untaken.acquire();
    try {
      stream.send(frame);
    } catch (RuntimeException | InterruptedException e) {
      untaken.release();
      throw e;
    }
  }

  /** No more frames. */
  public void complete() {
    stream.complete();
  }

  /** The results in order; single use, from one thread. */
  @Override
  public Iterator<FrameResult> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (finished) {
          return false;
        }
        if (head == null) {
          try {
            head = events.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a frame result", e);
          }
        }
        if (head == END) {
          finished = true;
          return false;
        }
        if (head instanceof StatusRuntimeException error) {
          finished = true;
          throw error;
        }
        return true;
      }

      @Override
      public FrameResult next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        FrameResult r = (FrameResult) head;
        head = null;
        untaken.release();
        return r;
      }
    };
  }

  /** Cancels the stream if it has not ended; idempotent. */
  @Override
  public void close() {
    stream.cancel();
  }
}
