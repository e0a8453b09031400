package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The weight and bias gradients of a stride-1, undilated 3D convolution through oneDNN's
 * {@code convolution_backward_weights} primitive alone. libnd4j's {@code conv3dnew_bp} has no way to skip the
 * input gradient: at 4x95x128x128, batch 2, NDHWC it spends ~440 ms on layer 0, of which backward-data and its
 * layout reorders are over half.
 *
 * <p>Arrays are the FLOAT, C-order, default-stride arrays DL4J hands the layer: src and diff_dst in the layer's
 * layout (NDHWC or NCDHW), diff_weights in DL4J's [oC, iC, kD, kH, kW] order (oneDNN's oidhw), diff_bias [oC].
 * oneDNN reads and writes them in place. Primitives are cached per thread, shape and OpenMP thread count; each
 * thread has its own stream.
 */
final class OneDnnConv3dWeightGradient {
  private static final engine ENGINE;
  private static final boolean AVAILABLE;
  /**
   * Per thread: two Spark workers of one executor running the same primitive at once corrupted each other's
   * gradients now and then (runs with two concurrent workers stopped being bit-for-bit repeatable; one
   * primitive per thread made them so again), so primitives are never shared between threads.
   */
  private static final ThreadLocal<Map<Key, Plan>> PLANS = ThreadLocal.withInitial(HashMap::new);

  static {
    engine e = null;
    boolean ok = false;
    // Only where ND4J runs its oneDNN CPU build (AVX2 CPU, not CUDA). That build links its own oneDNN (2.3);
    // this is the dnnl preset's 2.5 library, loaded beside it.
    if ("onednn-avx2".equals(NativeBackend.loadedBuild())) {
      try {
        Loader.load(dnnl.class);
        e = new engine(engine.kind.cpu, 0);
        ok = true;
      } catch (LinkageError | RuntimeException ex) {
        e = null;
      }
    }
    ENGINE = e;
    AVAILABLE = ok;
  }

  private static final ThreadLocal<stream> STREAMS = ThreadLocal.withInitial(() -> new stream(ENGINE));

  private OneDnnConv3dWeightGradient() {}

  /** Whether oneDNN is loaded and usable (ND4J's oneDNN CPU build, dnnl bindings present). */
  static boolean available() {
    return AVAILABLE;
  }

  /** Whether {@link #compute} takes these arrays as they are. */
  static boolean accepts(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a == null) {
        continue;
      }
      // A vector (the bias gradient view) may report either ordering; only its stride matters.
      boolean dense = a.rank() == 1 ? a.stride(0) == 1 : a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
      if (a.dataType() != DataType.FLOAT || !dense) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes dL/dW into {@code diffWeights} and, when not null, dL/db into {@code diffBias}.
   *
   * @param padding symmetric padding {pD, pH, pW}
   */
  static void compute(INDArray src, INDArray diffDst, INDArray diffWeights, INDArray diffBias, int[] padding,
      boolean channelsLast) {
    long[] srcDims = ncdhwDims(src, channelsLast);
    long[] dstDims = ncdhwDims(diffDst, channelsLast);
    // A primitive must run with the OpenMP thread count it was made for (its JIT kernels split the work and
    // meet at barriers; fewer threads hang them), and DL4J's Spark workers set their own per thread.
    int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    Key key = new Key(srcDims, dstDims, diffWeights.shape(), diffBias != null, padding, channelsLast, threads);
    Plan plan = PLANS.get().computeIfAbsent(key, OneDnnConv3dWeightGradient::plan);
    memory.format_tag tag = channelsLast ? memory.format_tag.ndhwc : memory.format_tag.ncdhw;
    stream s = STREAMS.get();
    try (IntMemoryMap args = new IntMemoryMap();
        memory srcMem = wrap(src, srcDims, tag);
        memory dstMem = wrap(diffDst, dstDims, tag);
        memory userWeights = wrap(diffWeights, diffWeights.shape(), memory.format_tag.oidhw);
        memory convWeights = plan.toUserWeights == null ? null : new memory(plan.weights, ENGINE);
        memory bMem = diffBias == null ? null : wrap(diffBias, new long[] {diffBias.length()}, memory.format_tag.x)) {
      args.put(dnnl.DNNL_ARG_SRC, srcMem);
      args.put(dnnl.DNNL_ARG_DIFF_DST, dstMem);
      args.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, convWeights == null ? userWeights : convWeights);
      if (bMem != null) {
        args.put(dnnl.DNNL_ARG_DIFF_BIAS, bMem);
      }
      plan.convolution.execute(s, args);
      if (convWeights != null) {
        plan.toUserWeights.execute(s, convWeights, userWeights);
      }
      s._wait();
    }
  }

  /**
   * The primitive, with diff_weights in the layout oneDNN prefers: asked for oidhw next to NDHWC data it falls
   * back to its reference kernel (~5 s instead of ~0.1 s at the study's shape), so the weights come out in
   * its own layout and a (tiny) reorder writes them to DL4J's.
   */
  private static Plan plan(Key k) {
    memory.format_tag tag = k.channelsLast ? memory.format_tag.ndhwc : memory.format_tag.ncdhw;
    memory.data_type f32 = memory.data_type.f32;
    memory.desc src = new memory.desc(k.src, f32, tag);
    memory.desc dst = new memory.desc(k.dst, f32, tag);
    memory.desc weights = new memory.desc(k.weights, f32, memory.format_tag.any);
    memory.desc bias =
        k.bias ? new memory.desc(new long[] {k.weights[0]}, f32, memory.format_tag.x) : new memory.desc();
    long[] strides = {1, 1, 1};
    long[] pad = Arrays.stream(k.padding).asLongStream().toArray();
    // The backward-weights primitive needs the forward primitive_desc as its hint.
    convolution_forward.primitive_desc hint = new convolution_forward.primitive_desc(
        new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
            src, weights, bias, dst, strides, pad, pad),
        ENGINE);
    convolution_backward_weights.primitive_desc pd = new convolution_backward_weights.primitive_desc(
        new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, src, weights, bias, dst, strides,
            pad, pad),
        ENGINE, hint);
    memory.desc chosen = pd.diff_weights_desc();
    memory.desc user = new memory.desc(k.weights, f32, memory.format_tag.oidhw);
    reorder toUser = chosen.equals(user) ? null : new reorder(new reorder.primitive_desc(ENGINE, chosen, ENGINE, user));
    return new Plan(new convolution_backward_weights(pd), chosen, toUser);
  }

  private record Plan(convolution_backward_weights convolution, memory.desc weights, reorder toUserWeights) {}

  private static memory wrap(INDArray a, long[] dims, memory.format_tag tag) {
    return new memory(new memory.desc(dims, memory.data_type.f32, tag), ENGINE, firstElement(a));
  }

  /** The address of the array's first element: a view's data buffer already starts at its offset. */
  private static Pointer firstElement(INDArray a) {
    return a.data().addressPointer();
  }

  /** {N, C, D, H, W}, oneDNN's logical order whatever the layout. */
  private static long[] ncdhwDims(INDArray a, boolean channelsLast) {
    long[] s = a.shape();
    return channelsLast ? new long[] {s[0], s[4], s[1], s[2], s[3]} : s.clone();
  }

  private record Key(long[] src, long[] dst, long[] weights, boolean bias, int[] padding, boolean channelsLast,
      int threads) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(src, k.src) && Arrays.equals(dst, k.dst)
          && Arrays.equals(weights, k.weights) && bias == k.bias && Arrays.equals(padding, k.padding)
          && channelsLast == k.channelsLast && threads == k.threads;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(new int[] {Arrays.hashCode(src), Arrays.hashCode(dst), Arrays.hashCode(weights),
          Boolean.hashCode(bias), Arrays.hashCode(padding), Boolean.hashCode(channelsLast), threads});
    }
  }
}
