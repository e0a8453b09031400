package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_v2_backward;
import org.bytedeco.dnnl.pooling_v2_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling (no padding, no dilation) and nearest-neighbour upsampling of dense 2D or 3D activations through
 * oneDNN's JIT primitives, on ND4J arrays in place (the layout of {@link OneDnn#wrapActivations}). Max pooling's
 * training pass writes the arg-max of every window into a workspace the caller keeps for the backward pass, so the
 * backward pass does not pool again (libnd4j's {@code maxpool3dnew_bp} does, into buffers it allocates per call).
 *
 * <p>Nearest upsampling by integer factors is average pooling run backwards: average pooling's backward pass spreads
 * each value over its window divided by the window's size k, so upsample(x) = avgpool_backward(k x), and the
 * upsampling's backward pass (the sum over each window) is k avgpool(dy); scaling by k, a power of 2 here, is
 * exact. (oneDNN 2.5's own resampling primitive crashed the JVM in its AVX-512 kernel now and then, inside the
 * U-Net only.)
 */
final class OneDnnResampling {
  private OneDnnResampling() {}

  /** Bytes of the workspace {@link #maxPoolForward} fills for {@link #maxPoolBackward}. */
  static long maxPoolWorkspaceBytes(INDArray src, INDArray dst, int[] kernel, int[] stride, boolean channelsLast) {
    return pool(src, dst, kernel, stride, channelsLast).forward.workspace_desc().get_size();
  }

  /** dst = the window maxima of src; {@code workspace} (at least {@link #maxPoolWorkspaceBytes}) records where. */
  static void maxPoolForward(INDArray src, INDArray dst, INDArray workspace, int[] kernel, int[] stride,
      boolean channelsLast) {
    PoolPlan p = pool(src, dst, kernel, stride, channelsLast);
    try (memory s = OneDnn.wrapActivations(src, channelsLast); memory d = OneDnn.wrapActivations(dst, channelsLast);
        memory ws = OneDnn.wrap(workspace, p.forward.workspace_desc())) {
      OneDnn.execute(p.forwardPrimitive, dnnl.DNNL_ARG_SRC, s, dnnl.DNNL_ARG_DST, d, dnnl.DNNL_ARG_WORKSPACE, ws);
    }
  }

  /** diffSrc = diffDst routed back to each window's maximum, as the forward pass recorded it in {@code workspace}. */
  static void maxPoolBackward(INDArray diffDst, INDArray workspace, INDArray diffSrc, int[] kernel, int[] stride,
      boolean channelsLast) {
    PoolPlan p = pool(diffSrc, diffDst, kernel, stride, channelsLast);
    try (memory dd = OneDnn.wrapActivations(diffDst, channelsLast);
        memory ds = OneDnn.wrapActivations(diffSrc, channelsLast);
        memory ws = OneDnn.wrap(workspace, p.forward.workspace_desc())) {
      OneDnn.execute(p.backward, dnnl.DNNL_ARG_DIFF_DST, dd, dnnl.DNNL_ARG_WORKSPACE, ws, dnnl.DNNL_ARG_DIFF_SRC, ds);
    }
  }

  /**
   * dst = src repeated over each output voxel's source voxel (the scale is dst's size over src's, per axis);
   * {@code scratch} is an array of src's size the method overwrites.
   */
  static void upsampleForward(INDArray src, INDArray dst, INDArray scratch, boolean channelsLast) {
    UpsamplePlan p = upsample(src, dst, channelsLast);
    try (memory s = OneDnn.wrap(src, new long[] {src.length()}, memory.format_tag.x);
        memory k = OneDnn.wrap(scratch, new long[] {src.length()}, memory.format_tag.x);
        memory kk = OneDnn.wrapActivations(scratch.reshape(src.shape()), channelsLast);
        memory d = OneDnn.wrapActivations(dst, channelsLast)) {
      OneDnn.execute(p.scale, dnnl.DNNL_ARG_SRC, s, dnnl.DNNL_ARG_DST, k);
      OneDnn.execute(p.spread, dnnl.DNNL_ARG_DIFF_DST, kk, dnnl.DNNL_ARG_DIFF_SRC, d);
    }
  }

  /** diffSrc = the sum of diffDst over the output voxels each source voxel was repeated into. */
  static void upsampleBackward(INDArray diffDst, INDArray diffSrc, boolean channelsLast) {
    UpsamplePlan p = upsample(diffSrc, diffDst, channelsLast);
    try (memory dd = OneDnn.wrapActivations(diffDst, channelsLast);
        memory ds = OneDnn.wrapActivations(diffSrc, channelsLast);
        memory flat = OneDnn.wrap(diffSrc, new long[] {diffSrc.length()}, memory.format_tag.x)) {
      OneDnn.execute(p.average, dnnl.DNNL_ARG_SRC, dd, dnnl.DNNL_ARG_DST, ds);
      OneDnn.execute(p.scale, dnnl.DNNL_ARG_SRC, flat, dnnl.DNNL_ARG_DST, flat);
    }
  }

  /** The primitives with the descriptors they were made from, kept as long as they are. */
  private record PoolPlan(pooling_v2_forward.primitive_desc forward, pooling_v2_forward forwardPrimitive,
      pooling_v2_backward.primitive_desc backwardDesc, pooling_v2_backward backward) {}

  /** Average pooling over the upsampling's windows, its backward pass, and the scaling by the window's size. */
  private record UpsamplePlan(pooling_v2_forward.primitive_desc averageDesc, pooling_v2_forward average,
      pooling_v2_backward.primitive_desc spreadDesc, pooling_v2_backward spread, eltwise_forward.primitive_desc scaleDesc,
      eltwise_forward scale) {}

  private static PoolPlan pool(INDArray src, INDArray dst, int[] kernel, int[] stride, boolean channelsLast) {
    long[] s = OneDnn.logicalDims(src, channelsLast);
    long[] d = OneDnn.logicalDims(dst, channelsLast);
    return OneDnn.cached(List.of("maxpool", Arrays.toString(s), Arrays.toString(d), Arrays.toString(kernel),
        Arrays.toString(stride), channelsLast), () -> {
          memory.desc sd = desc(s, channelsLast);
          memory.desc dd = desc(d, channelsLast);
          long[] k = Arrays.stream(kernel).asLongStream().toArray();
          long[] st = Arrays.stream(stride).asLongStream().toArray();
          long[] zero = new long[k.length];
          pooling_v2_forward.primitive_desc fwd = new pooling_v2_forward.primitive_desc(new pooling_v2_forward.desc(
              dnnl.prop_kind.forward_training, dnnl.algorithm.pooling_max, sd, dd, st, k, zero, zero, zero),
              OneDnn.ENGINE);
          pooling_v2_backward.primitive_desc bwd = new pooling_v2_backward.primitive_desc(new pooling_v2_backward.desc(
              dnnl.algorithm.pooling_max, sd, dd, st, k, zero, zero, zero), OneDnn.ENGINE, fwd);
          return new PoolPlan(fwd, new pooling_v2_forward(fwd), bwd, new pooling_v2_backward(bwd));
        });
  }

  /** The plan for upsampling {@code small} to {@code large} (dims divisible; the factors are the window). */
  private static UpsamplePlan upsample(INDArray small, INDArray large, boolean channelsLast) {
    long[] s = OneDnn.logicalDims(small, channelsLast);
    long[] l = OneDnn.logicalDims(large, channelsLast);
    return OneDnn.cached(List.of("upsample", Arrays.toString(s), Arrays.toString(l), channelsLast), () -> {
      long[] window = new long[s.length - 2];
      long size = 1;
      for (int i = 0; i < window.length; i++) {
        if (s[0] != l[0] || s[1] != l[1] || l[2 + i] % s[2 + i] != 0) {
          throw new IllegalArgumentException("cannot upsample " + Arrays.toString(s) + " to " + Arrays.toString(l));
        }
        window[i] = l[2 + i] / s[2 + i];
        size *= window[i];
      }
      memory.desc sd = desc(s, channelsLast);
      memory.desc ld = desc(l, channelsLast);
      long[] zero = new long[window.length];
      pooling_v2_forward.primitive_desc avg = new pooling_v2_forward.primitive_desc(new pooling_v2_forward.desc(
          dnnl.prop_kind.forward_training, dnnl.algorithm.pooling_avg_include_padding, ld, sd, window, window, zero,
          zero, zero), OneDnn.ENGINE);
      pooling_v2_backward.primitive_desc spread = new pooling_v2_backward.primitive_desc(new pooling_v2_backward.desc(
          dnnl.algorithm.pooling_avg_include_padding, ld, sd, window, window, zero, zero, zero), OneDnn.ENGINE, avg);
      memory.desc flat = new memory.desc(new long[] {s[0] * s[1] * size(s)}, memory.data_type.f32, memory.format_tag.x);
      eltwise_forward.primitive_desc scale = new eltwise_forward.primitive_desc(new eltwise_forward.desc(
          dnnl.prop_kind.forward_inference, dnnl.algorithm.eltwise_linear, flat, (float) size, 0f), OneDnn.ENGINE);
      return new UpsamplePlan(avg, new pooling_v2_forward(avg), spread, new pooling_v2_backward(spread), scale,
          new eltwise_forward(scale));
    });
  }

  private static long size(long[] dims) {
    long n = 1;
    for (int i = 2; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  private static memory.desc desc(long[] dims, boolean channelsLast) {
    return new memory.desc(dims, memory.data_type.f32, OneDnn.activationTag(dims.length, channelsLast));
  }
}
