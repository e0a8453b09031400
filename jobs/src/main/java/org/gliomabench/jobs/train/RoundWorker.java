package org.gliomabench.jobs.train;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's part of an averaging round, on an executor: it takes the round's starting network (from the
 * broadcast, into a pooled network where one is idle), fits its minibatches in order, each exactly once, and
 * returns its parameters and updater state for averaging. Minibatches are loaded at most {@code prefetch} ahead
 * on a background thread, and each one's off-heap arrays are freed once fitted, so a worker holds the network,
 * its optimiser state, one minibatch's activations and a bounded prefetch, never an epoch. The round runs on one
 * of this JVM's {@link TrainingThreads}, so that DL4J's per-thread workspaces are learned once per worker, not
 * again whenever Spark picks another task thread.
 */
final class RoundWorker implements FlatMapFunction<Iterator<DataSet>, ParameterAveragingTrainingResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RoundWorker.class);

  private final ParameterAveragingTrainingWorker worker;
  private final int prefetch;
  private final boolean graph;
  /** Where the round's time goes (null: not measured). */
  private final RoundTimes times;

  RoundWorker(ParameterAveragingTrainingWorker worker, int prefetch, boolean graph, RoundTimes times) {
    this.worker = worker;
    this.prefetch = prefetch;
    this.graph = graph;
    this.times = times;
  }

  @Override
  public Iterator<ParameterAveragingTrainingResult> call(Iterator<DataSet> minibatches) throws Exception {
    if (!minibatches.hasNext()) {
      return Collections.emptyIterator();
    }
    if (worker instanceof PooledNetworkWorker pooled) {
      pooled.prepare(); // reads the broadcast and names the task's GPU here, where the TaskContext is
    }
    return TrainingThreads.run(() -> fit(minibatches));
  }

  /** The round on a training thread: takes the network, fits each minibatch as it comes, returns the result. */
  private Iterator<ParameterAveragingTrainingResult> fit(Iterator<DataSet> minibatches) throws Exception {
    try (Prefetch data = new Prefetch(minibatches, prefetch)) {
      // Each minibatch is fitted as it comes (not "is it the last?": that would wait for the next one to load).
      long t = System.nanoTime();
      ComputationGraph graphNet = graph ? worker.getInitialModelGraph() : null;
      MultiLayerNetwork net = graph ? null : worker.getInitialModel();
      t = lap(t, Part.STARTING);
      boolean first = true;
      while (data.hasNext()) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("training round cancelled");
        }
        DataSet ds = data.next();
        long examples = ds.getFeatures().size(0);
        t = lap(t, Part.WAITING);
        if (graph) {
          worker.processMinibatch(new org.nd4j.linalg.dataset.MultiDataSet(ds.getFeatures(), ds.getLabels()), graphNet,
              false);
        } else {
          worker.processMinibatch(ds, net, false);
        }
        free(ds);
        if (LOG.isDebugEnabled()) {
          LOG.debug("minibatch of {} fitted in {} ms on {}", examples, (System.nanoTime() - t) / 1_000_000,
              Thread.currentThread().getName());
        }
        t = lap(t, first ? Part.FIRST_STEP : Part.STEP);
        first = false;
      }
      ParameterAveragingTrainingResult result = graph ? worker.getFinalResult(graphNet) : worker.getFinalResult(net);
      lap(t, Part.FINISHING);
      return List.of(result).iterator();
    }
  }

  private enum Part { STARTING, WAITING, FIRST_STEP, STEP, FINISHING }

  /** Adds the time since {@code since} to {@code part}; returns now. */
  private long lap(long since, Part part) {
    long now = System.nanoTime();
    if (times != null) {
      long d = now - since;
      switch (part) {
        case STARTING -> times.starting(d);
        case WAITING -> times.waiting(d);
        case FIRST_STEP -> times.step(d, true);
        case STEP -> times.step(d, false);
        case FINISHING -> times.finishing(d);
        default -> throw new IllegalStateException(part.name());
      }
    }
    return now;
  }

  /** A fitted minibatch's arrays go back now, not at some later garbage collection (each is MBs to GBs). */
  private static void free(DataSet ds) {
    for (INDArray a : new INDArray[] {ds.getFeatures(), ds.getLabels()}) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }

  /** Minibatches loaded by a background thread at most {@code ahead} in advance (0: loaded when asked for). */
  static final class Prefetch implements Iterator<DataSet>, AutoCloseable {
    private static final Object END = new Object();
    private final Iterator<DataSet> source;
    private final BlockingQueue<Object> queue;
    private final Thread loader;
    private Object head;

    Prefetch(Iterator<DataSet> source, int ahead) {
      this.source = source;
      if (ahead <= 0) {
        this.queue = null;
        this.loader = null;
        return;
      }
      this.queue = new ArrayBlockingQueue<>(ahead);
      this.loader = new Thread(() -> {
        try {
          while (source.hasNext()) {
            queue.put(source.next());
          }
          queue.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
          try {
            queue.put(e);
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
        }
      }, "glioma-bench-minibatch-prefetch");
      loader.setDaemon(true);
      loader.start();
    }

    private Object peek() {
      if (head == null) {
        try {
          head = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the next minibatch", e);
        }
      }
      return head;
    }

    @Override
    public boolean hasNext() {
      return queue == null ? source.hasNext() : peek() != END;
    }

    @Override
    public DataSet next() {
      if (queue == null) {
        return source.next();
      }
      Object o = peek();
      if (o == END) {
        throw new NoSuchElementException();
      }
      head = null;
      if (o instanceof RuntimeException e) {
        throw e;
      }
      if (o instanceof Error e) {
        throw e;
      }
      return (DataSet) o;
    }

    @Override
    public void close() throws InterruptedException {
      if (loader != null) {
        loader.interrupt();
        loader.join(TimeUnit.SECONDS.toMillis(10));
        for (Object o : queue) {
          if (o instanceof DataSet ds) {
            free(ds);
          }
        }
        queue.clear();
      }
    }
  }
}
