package org.gliomabench.jobs.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.udf.fanout.ArmCaller;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.fanout.BoundedFanOut;
import org.gliomabench.udf.fanout.CallRecord;
import org.gliomabench.udf.fanout.SliceCall;

/**
 * The Spark partition function of the LLM arm: the call plan's rows in, llm_calls rows out, with the
 * partition's calls fanned out asynchronously (bounded per executor by the shared client's permits).
 * With a journal, every finished call is flushed there before it counts, and a killed task waits for
 * its in-flight calls (up to the response timeout) before closing it. A retried task skips the calls
 * its earlier attempts finished.
 */
public final class SliceCallFunction implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SliceCallFunction.class);

  /** Journal and progress wiring; null parts are off (the SQL functions and the bench's baselines use none). */
  public record Wiring(HadoopConf hadoop, String journalDir, String jobToken, long rollSeconds,
      LongAccumulator done, LongAccumulator ok, LongAccumulator failed) implements java.io.Serializable {

    public static Wiring none() {
      return new Wiring(null, null, null, 0, null, null, null);
    }
  }

  private final List<ArmSpec> arms;
  private final String runId;
  private final Wiring wiring;
  /** The few-shot examples' images by id (null without few-shot arms): sent once per executor, not per call. */
  private final Broadcast<java.util.HashMap<String, byte[]>> examples;

  public SliceCallFunction(List<ArmSpec> arms, String runId, Wiring wiring) {
    this(arms, runId, wiring, null);
  }

  public SliceCallFunction(List<ArmSpec> arms, String runId, Wiring wiring,
      Broadcast<java.util.HashMap<String, byte[]>> examples) {
    this.arms = List.copyOf(arms);
    this.runId = runId;
    this.wiring = wiring;
    this.examples = examples;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Map<String, ArmCaller> callers = new HashMap<>();
    long drainMs = 0;
    for (ArmSpec a : arms) {
      callers.put(a.name(), new ArmCaller(a));
      drainMs = Math.max(drainMs, a.client().responseTimeoutMs() + a.client().connectTimeoutMs());
    }
    TaskContext ctx = TaskContext.get();
    CallJournal.Writer journal = null;
    Set<String> finishedBefore = new HashSet<>();
    if (wiring.journalDir() != null) {
      String prefix = wiring.jobToken() + "-p" + (ctx == null ? 0 : ctx.partitionId());
      finishedBefore = earlierAttempts(prefix + "-a");
      journal = new CallJournal.Writer(wiring.hadoop().get(), wiring.journalDir(),
          prefix + "-a" + (ctx == null ? 0 : ctx.attemptNumber()), runId, wiring.rollSeconds());
    }
    InFlight inFlight = new InFlight();
    AtomicReference<Throwable> journalError = new AtomicReference<>();
    if (ctx != null) {
      CallJournal.Writer j = journal;
      long drain = drainMs;
      ctx.addTaskCompletionListener((TaskContext c) -> {
        int before = inFlight.count();
        inFlight.awaitZero(drain); // a killed task still records the answers already on their way
        if (before > 0) {
          LOG.info("task {} ending early: waited for {} calls in flight ({} left)", c.partitionId(), before, inFlight.count());
        }
        if (j != null) {
          j.close();
        }
      });
    }
    CallJournal.Writer j = journal;
    Set<String> skip = finishedBefore;
    Map<String, byte[]> exampleImages = examples == null ? Map.of() : examples.value();
    Iterator<SliceCall> input = new Iterator<>() {
      private SliceCall next;

      @Override
      public boolean hasNext() {
        if (ctx != null) {
          ctx.killTaskIfInterrupted(); // a cancelled job stops submitting at once
        }
        while (next == null && rows.hasNext()) {
          SliceCall c = toCall(rows.next(), exampleImages);
          if (!skip.contains(c.arm() + "|" + c.callKey())) {
            next = c;
          }
        }
        return next != null;
      }

      @Override
      public SliceCall next() {
        hasNext();
        SliceCall c = next;
        next = null;
        return c;
      }
    };
    BoundedFanOut<SliceCall, CallRecord> fan = BoundedFanOut.of(input,
        c -> callers.get(c.arm()).client().permits(),
        c -> {
          inFlight.inc();
          return callers.get(c.arm()).call(c).whenComplete((r, ex) -> {
            try {
              if (r != null && j != null) {
                j.append(r);
              }
              count(r);
            } catch (RuntimeException e) {
              LOG.warn("call {} finished but could not be recorded: {}", c.callKey(), e.toString());
              journalError.compareAndSet(null, e);
            } finally {
              inFlight.dec();
            }
          });
        },
        (c, ex) -> callers.get(c.arm()).failed(c, ex));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return fan.hasNext();
      }

      @Override
      public Row next() {
        CallRecord r = fan.next();
        Throwable e = journalError.get();
        if (e != null) {
          throw new IllegalStateException("the call journal failed; stopping so that no answer is lost: " + e.getMessage(), e);
        }
        return LlmCallsTable.toRow(r, runId);
      }
    };
  }

  private void count(CallRecord r) {
    if (wiring.done() == null || r == null) {
      return;
    }
    wiring.done().add(1);
    (LlmCallsView.isTerminal(r.status()) ? wiring.ok() : wiring.failed()).add(1);
  }

  /** Calls finished by earlier attempts of this task (their journal files), as arm|call_key. */
  private Set<String> earlierAttempts(String prefix) {
    Set<String> keys = new HashSet<>();
    try {
      List<Path> files = CallJournal.files(wiring.hadoop().get(), wiring.journalDir(), prefix);
      for (Row r : CallJournal.read(wiring.hadoop().get(), files)) {
        if (LlmCallsView.isTerminal(r.getAs(LlmCalls.STATUS))) {
          keys.add(r.getAs(LlmCalls.ARM) + "|" + r.getAs(LlmCalls.CALL_KEY));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the earlier attempts' call journal", e);
    }
    return keys;
  }

  /** A plan row (CallPlan's columns) as a call, its examples' images taken from {@code exampleImages}. */
  static SliceCall toCall(Row r, Map<String, byte[]> exampleImages) {
    List<String> ids = r.getList(r.fieldIndex(CallPlan.EXAMPLE_IDS));
    List<Integer> labels = r.getList(r.fieldIndex(CallPlan.EXAMPLE_LABELS));
    List<SliceCall.Example> examples = new java.util.ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      byte[] png = exampleImages.get(ids.get(i));
      if (png == null) {
        throw new IllegalStateException("call " + r.getAs(LlmCalls.CALL_KEY) + " shows example " + ids.get(i)
            + ", whose image did not reach this executor");
      }
      examples.add(new SliceCall.Example(ids.get(i), labels.get(i), png));
    }
    return new SliceCall(r.getAs(LlmCalls.CALL_KEY), r.getAs(LlmCalls.ARM), r.getAs(Tables.PATIENT_ID),
        r.getAs(Tables.LABEL), r.getAs(Tables.COHORT), r.getAs(Tables.FOLD), r.getAs(Tables.PLANE),
        r.<Integer>getAs(Tables.SLICE_INDEX), r.<Integer>getAs(LlmCalls.SAMPLE), r.getAs(CallPlan.IMAGE),
        r.<Integer>getAs(Slices.WIDTH), r.<Integer>getAs(Slices.HEIGHT), examples, r.getAs(LlmCalls.STATED_P_HGG));
  }

  /** Counts calls in flight so that a finishing task can wait for them. */
  private static final class InFlight {
    private int n;

    synchronized int count() {
      return n;
    }

    synchronized void inc() {
      n++;
    }

    synchronized void dec() {
      n--;
      notifyAll();
    }

    /** Waits even when the task thread was interrupted (a kill), then restores the interrupt. */
    synchronized void awaitZero(long ms) {
      boolean interrupted = Thread.interrupted();
      long end = System.currentTimeMillis() + ms;
      for (long left = ms; n > 0 && left > 0; left = end - System.currentTimeMillis()) {
        try {
          wait(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
