package org.gliomabench.udf.fanout;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The asynchronous fan-out behind the Spark partition function: an iterator of results over an iterator
 * of calls that keeps up to the permits' worth of calls in flight and hands results back as they finish
 * (completion order), so a partition streams instead of being collected. The semaphore is shared by
 * every task of the JVM, which makes the bound per executor.
 */
public final class BoundedFanOut<I, O> implements Iterator<O> {
  /** How a call is started and how its permits are looked up. */
  public interface Caller<I, O> {
    Semaphore permits(I input);

    CompletableFuture<O> call(I input);

    /** A result for a call whose future failed (should not happen: callers record errors as results). */
    O failed(I input, Throwable error);
  }

  private final Iterator<I> input;
  private final Caller<I, O> caller;
  private final LinkedBlockingQueue<O> done = new LinkedBlockingQueue<>();
  private I pending;
  private int inFlight;

  public BoundedFanOut(Iterator<I> input, Caller<I, O> caller) {
    this.input = input;
    this.caller = caller;
  }

  public static <I, O> BoundedFanOut<I, O> of(Iterator<I> input, Function<I, Semaphore> permits,
      Function<I, CompletableFuture<O>> call, java.util.function.BiFunction<I, Throwable, O> failed) {
    return new BoundedFanOut<>(input, new Caller<>() {
      @Override
      public Semaphore permits(I in) {
        return permits.apply(in);
      }

      @Override
      public CompletableFuture<O> call(I in) {
        return call.apply(in);
      }

      @Override
      public O failed(I in, Throwable error) {
        return failed.apply(in, error);
      }
    });
  }

  @Override
  public boolean hasNext() {
    return inFlight > 0 || pending != null || input.hasNext();
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    try {
      fill();
      if (inFlight == 0) { // nothing of ours in flight: wait for a permit (other tasks hold them all)
        I in = pending != null ? pending : input.next();
        pending = null;
        caller.permits(in).acquire();
        start(in);
      }
      O out = done.take();
      inFlight--;
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("fan-out interrupted (task killed); finished calls are already recorded", e);
    }
  }

  /** Starts every call for which a permit is free now. */
  private void fill() {
    while (pending != null || input.hasNext()) {
      I in = pending != null ? pending : input.next();
      if (!caller.permits(in).tryAcquire()) {
        pending = in;
        return;
      }
      pending = null;
      start(in);
    }
  }

  private void start(I in) {
    inFlight++;
    Semaphore permits = caller.permits(in);
    CompletableFuture<O> f;
    try {
      f = caller.call(in);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((out, error) -> {
      permits.release();
      done.add(error == null ? out : caller.failed(in, error));
    });
  }
}
