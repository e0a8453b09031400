package org.gliomabench.jobs.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.core.seg.SoftDiceLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a U-Net over whole patients on the executors (a copy of the model is broadcast and restored once
 * per partition): per patient the loss, the grid Dice per region (threshold 0.5), the grade head's P(HGG) where the
 * network has one (the multi-task U-Net: one output after the regions') and, when asked, the
 * predicted region bits and their scores against the original segmentation file. Volumes never pass the
 * driver; only these small results do (masks are written from the RDD).
 */
public final class SegScorer {
  private SegScorer() {}

  /**
   * One patient's result; {@code original} is null unless asked for or when {@code error} says why; {@code grade}
   * the mean P(HGG) over the patient's examples, null for a network without a grade head; {@code loss} the
   * segmentation's.
   */
  public record PatientScore(String patientId, double loss, double[] gridDice, byte[] bits, int[] cropOrigin,
      int[] cropExtent, OriginalSpaceScorer.Result original, String error, Double grade) implements Serializable {
    /** The same result without the region bits (what the driver collects). */
    public PatientScore withoutBits() {
      return new PatientScore(patientId, loss, gridDice, null, cropOrigin, cropExtent, original, error, grade);
    }
  }

  /** An epoch's validation: each patient's result, their mean loss and mean grid Dice per region (NaN without any). */
  public record Validation(List<PatientScore> scores, double loss, double[] dice) {}

  /** Scores {@code ids} with {@code net} (broadcast, then removed) on the grid, for an epoch's record. */
  public static Validation validate(JavaSparkContext jsc, ComputationGraph net, SegSpec spec, TrainingVolumes volumes,
      List<String> ids) {
    List<PatientScore> scores;
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      scores = score(jsc, model.handle(), spec, volumes, ids, false, null).collect();
    }
    double[] dice = new double[Regions.NAMES.length];
    for (int r = 0; r < dice.length; r++) {
      int region = r;
      dice[r] = scores.stream().mapToDouble(s -> s.gridDice()[region]).average().orElse(Double.NaN);
    }
    return new Validation(scores, scores.stream().mapToDouble(PatientScore::loss).average().orElse(Double.NaN), dice);
  }

  /**
   * @param references the patients' reference masks (ingest's reference_masks rows) to score the prediction in
   *     the original space; null to skip that (epoch validation)
   * @param keepBits whether results carry the predicted region bits
   */
  public static JavaRDD<PatientScore> score(JavaSparkContext jsc, Broadcast<ModelBroadcast.Payload> net, SegSpec spec,
      TrainingVolumes volumes, List<String> ids, boolean keepBits, Map<String, ReferenceMask> references) {
    // A HashMap: Kryo (the cluster serializer) cannot rebuild the JDK's immutable maps.
    Broadcast<Map<String, ReferenceMask>> refs = references == null ? null : jsc.broadcast(new HashMap<>(references));
    TensorStore store = volumes.store();
    int[] grid = {spec.depth(), spec.height(), spec.width()};
    return Inference.over(jsc, volumes.patients(ids), 1, chunks -> {
      List<PatientScore> out = new ArrayList<>();
      if (!chunks.hasNext()) {
        return out.iterator();
      }
      ComputationGraph g = net.value().graph();
      while (chunks.hasNext()) {
        for (TrainingVolumes.Patient p : chunks.next()) {
          VolumeExample e = new VolumeExample(p.patientId(), p.label(), store.tensor(p.patientId()),
              store.mask(p.patientId()), p.cropOrigin(), p.cropExtent());
          PatientScore s = one(g, spec, e);
          if (refs != null) {
            ReferenceMask ref = refs.value().get(e.patientId());
            OriginalSpaceScorer.Result original = null;
            String error = null;
            if (ref == null) {
              error = "patient " + e.patientId() + " has no reference_masks row (ingested before that table existed:"
                  + " rerun ingest) so it cannot be scored in the original space";
            } else {
              try {
                original = OriginalSpaceScorer.score(ref, s.bits(), grid, e.cropOrigin(), e.cropExtent());
              } catch (RuntimeException ex) {
                error = "cannot score patient " + e.patientId() + " against its reference mask: " + ex;
              }
            }
            s = new PatientScore(s.patientId(), s.loss(), s.gridDice(), s.bits(), s.cropOrigin(), s.cropExtent(),
                original, error, s.grade());
          }
          if (!keepBits) {
            s = s.withoutBits();
          }
          out.add(s);
        }
      }
      return out.iterator();
    });
  }

  /**
   * Loss (mean over the patient's examples), grid Dice per region, the predicted bits and the grade (where the
   * network's rows carry one after the regions) of one patient.
   */
  static PatientScore one(ComputationGraph g, SegSpec spec, VolumeExample e) {
    float[] tensor = SegTensors.floats(e.tensor());
    int per = spec.examplesPerPatient();
    int fl = spec.featureLength();
    int ll = spec.labelLength();
    float[] features = new float[per * fl];
    float[] labels = new float[per * ll];
    for (int s = 0; s < per; s++) {
      SegTensors.features(tensor, spec, s, features, s * fl);
      SegTensors.labels(e.mask(), spec, s, labels, s * ll);
    }
    INDArray out = g.outputSingle(false, Nd4j.create(features, new long[] {per, fl}, 'c'));
    int row = (int) out.size(1);
    boolean graded = row == ll + 1;
    if (!graded && row != ll) {
      throw new IllegalStateException("the network outputs " + row + " values per example; a U-Net's regions are " + ll);
    }
    float[] all = out.dup('c').reshape(new long[] {(long) per * row}).toFloatVector();
    float[] probs = graded ? new float[per * ll] : all;
    double gradeSum = 0;
    for (int s = 0; graded && s < per; s++) {
      System.arraycopy(all, s * row, probs, s * ll, ll);
      gradeSum += all[s * row + ll];
    }
    SoftDiceLoss loss = spec.loss().function();
    byte[] bits = new byte[e.mask().length];
    double lossSum = 0;
    for (int s = 0; s < per; s++) {
      lossSum += loss.scoreProbabilities(probs, labels, s * ll, ll);
      SegTensors.toBits(probs, s * ll, spec, s, bits);
    }
    byte[] truth = Regions.bitsOf(e.mask());
    double[] dice = new double[Regions.NAMES.length];
    for (int r = 0; r < dice.length; r++) {
      dice[r] = MaskMetrics.dice(Regions.region(bits, r), Regions.region(truth, r));
    }
    return new PatientScore(e.patientId(), lossSum / per, dice, bits, e.cropOrigin(), e.cropExtent(), null, null,
        graded ? gradeSum / per : null);
  }
}
