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

/**
 * One worker's part of an averaging round, on an executor: it takes the round's starting network (from the
 * broadcast, into a pooled network where one is idle), fits its minibatches in order, each exactly once, and
 * returns its parameters and updater state for averaging. Minibatches are loaded at most {@code prefetch} ahead
 * on a background thread, and each one's off-heap arrays are freed once fitted, so a worker holds the network,
 * its optimiser state, one minibatch's activations and a bounded prefetch, never an epoch.
 */
final class RoundWorker implements FlatMapFunction<Iterator<DataSet>, ParameterAveragingTrainingResult> {
  private static final long serialVersionUID = 1L;

  private final ParameterAveragingTrainingWorker worker;
  private final int prefetch;
  private final boolean graph;

  RoundWorker(ParameterAveragingTrainingWorker worker, int prefetch, boolean graph) {
    this.worker = worker;
    this.prefetch = prefetch;
    this.graph = graph;
  }

  @Override
  public Iterator<ParameterAveragingTrainingResult> call(Iterator<DataSet> minibatches) throws Exception {
    if (!minibatches.hasNext()) {
      return Collections.emptyIterator();
    }
    try (Prefetch data = new Prefetch(minibatches, prefetch)) {
      // Each minibatch is fitted as it comes (not "is it the last?": that would wait for the next one to load).
      if (graph) {
        ComputationGraph net = worker.getInitialModelGraph();
        while (data.hasNext()) {
          DataSet ds = data.next();
          worker.processMinibatch(new org.nd4j.linalg.dataset.MultiDataSet(ds.getFeatures(), ds.getLabels()), net, false);
          free(ds);
        }
        return List.of(worker.getFinalResult(net)).iterator();
      }
      MultiLayerNetwork net = worker.getInitialModel();
      while (data.hasNext()) {
        DataSet ds = data.next();
        worker.processMinibatch(ds, net, false);
        free(ds);
      }
      return List.of(worker.getFinalResult(net)).iterator();
    }
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
