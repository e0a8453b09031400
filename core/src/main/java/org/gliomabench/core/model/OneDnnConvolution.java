package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stride-1, undilated 2D and 3D convolutions through oneDNN's primitives, called directly on the arrays DL4J
 * hands a layer: the forward pass with bias and ReLU fused, the input gradient, the weight and bias gradients, and
 * ReLU's backward pass. libnd4j's {@code conv3dnew}/{@code conv3dnew_bp} (DL4J's Convolution3DLayer) create their
 * primitives on every call, reorder the activations to a blocked layout and back around each one into freshly
 * allocated buffers, recompute the forward convolution in backprop and cannot skip the input gradient.
 *
 * <p>Arrays are FLOAT, C-order with default strides ({@link #accepts}): activations in the layer's layout
 * (channels last, N[D]HWC, or channels first, NC[D]HW), weights in DL4J's [oC, iC, k...] order (oneDNN's oidhw /
 * oihw), bias [oC]. oneDNN reads and writes them in place; the weights (a few KB) are reordered to and from the
 * layout each primitive prefers: asked for oidhw next to NDHWC data, backward-weights falls back to oneDNN's
 * reference kernel (~5 s instead of ~0.1 s at the study's shape). Primitives are cached per thread, shape and
 * OpenMP thread count ({@link OneDnn#cached}).
 */
final class OneDnnConvolution {
  private OneDnnConvolution() {}

  /** Whether oneDNN is loaded and usable (ND4J's oneDNN CPU build, dnnl bindings present). */
  static boolean available() {
    return OneDnn.available();
  }

  /** Whether the methods take these arrays as they are: FLOAT, dense in C order (nulls are skipped). */
  static boolean accepts(INDArray... arrays) {
    return OneDnn.accepts(arrays);
  }

  /**
   * dst = conv(src, weights) + bias, then ReLU when {@code relu}.
   *
   * @param padding symmetric padding per spatial axis
   */
  static void forward(INDArray src, INDArray weights, INDArray bias, INDArray dst, int[] padding,
      boolean channelsLast, boolean relu) {
    Plan plan = plan(src, dst, weights, bias != null, padding, channelsLast, relu);
    stream s = OneDnn.stream();
    plan.forwardPrimitive();
    try (IntMemoryMap args = new IntMemoryMap();
        memory srcMem = OneDnn.wrap(src, plan.key.src, plan.activations);
        memory dstMem = OneDnn.wrap(dst, plan.key.dst, plan.activations);
        memory userWeights = OneDnn.wrap(weights, plan.key.weights, plan.weightsTag);
        memory bMem = bias == null ? null : OneDnn.wrap(bias, new long[] {bias.length()}, memory.format_tag.x)) {
      plan.toForwardWeights.execute(s, userWeights, plan.forwardWeights);
      args.put(dnnl.DNNL_ARG_SRC, srcMem);
      args.put(dnnl.DNNL_ARG_WEIGHTS, plan.forwardWeights);
      if (bMem != null) {
        args.put(dnnl.DNNL_ARG_BIAS, bMem);
      }
      args.put(dnnl.DNNL_ARG_DST, dstMem);
      plan.forward.execute(s, args);
      s._wait();
    }
  }

  /** diffSrc = the gradient of the convolution's input, from the gradient of its (pre-activation) output. */
  static void backwardData(INDArray diffDst, INDArray weights, INDArray diffSrc, int[] padding, boolean channelsLast) {
    Plan plan = plan(diffSrc, diffDst, weights, false, padding, channelsLast, false);
    stream s = OneDnn.stream();
    plan.backwardDataPrimitive();
    try (IntMemoryMap args = new IntMemoryMap();
        memory dstMem = OneDnn.wrap(diffDst, plan.key.dst, plan.activations);
        memory srcMem = OneDnn.wrap(diffSrc, plan.key.src, plan.activations);
        memory userWeights = OneDnn.wrap(weights, plan.key.weights, plan.weightsTag)) {
      plan.toBackwardDataWeights.execute(s, userWeights, plan.backwardDataWeights);
      args.put(dnnl.DNNL_ARG_DIFF_DST, dstMem);
      args.put(dnnl.DNNL_ARG_WEIGHTS, plan.backwardDataWeights);
      args.put(dnnl.DNNL_ARG_DIFF_SRC, srcMem);
      plan.backwardData.execute(s, args);
      s._wait();
    }
  }

  /** Writes dL/dW into {@code diffWeights} and, when not null, dL/db into {@code diffBias}. */
  static void backwardWeights(INDArray src, INDArray diffDst, INDArray diffWeights, INDArray diffBias, int[] padding,
      boolean channelsLast) {
    Plan plan = plan(src, diffDst, diffWeights, diffBias != null, padding, channelsLast, false);
    stream s = OneDnn.stream();
    plan.backwardWeightsPrimitive();
    try (IntMemoryMap args = new IntMemoryMap();
        memory srcMem = OneDnn.wrap(src, plan.key.src, plan.activations);
        memory dstMem = OneDnn.wrap(diffDst, plan.key.dst, plan.activations);
        memory userWeights = OneDnn.wrap(diffWeights, plan.key.weights, plan.weightsTag);
        memory bMem = diffBias == null ? null : OneDnn.wrap(diffBias, new long[] {diffBias.length()}, memory.format_tag.x)) {
      args.put(dnnl.DNNL_ARG_SRC, srcMem);
      args.put(dnnl.DNNL_ARG_DIFF_DST, dstMem);
      args.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, plan.diffWeights);
      if (bMem != null) {
        args.put(dnnl.DNNL_ARG_DIFF_BIAS, bMem);
      }
      plan.backwardWeights.execute(s, args);
      plan.fromDiffWeights.execute(s, plan.diffWeights, userWeights);
      s._wait();
    }
  }

  /**
   * ReLU's backward pass from its output: diffSrc = diffDst where dst > 0, else 0 (relu'(z) = [relu(z) > 0]). All
   * three arrays have one shape; diffSrc may be diffDst itself.
   */
  static void reluBackward(INDArray dst, INDArray diffDst, INDArray diffSrc) {
    long n = dst.length();
    eltwise_backward backward = OneDnn.cached(List.of("relu_bp", n), () -> {
      memory.desc data = new memory.desc(new long[] {n}, memory.data_type.f32, memory.format_tag.x);
      eltwise_forward.primitive_desc hint = new eltwise_forward.primitive_desc(
          new eltwise_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.eltwise_relu_use_dst_for_bwd,
              data, 0f, 0f), OneDnn.ENGINE);
      return new eltwise_backward(new eltwise_backward.primitive_desc(
          new eltwise_backward.desc(dnnl.algorithm.eltwise_relu_use_dst_for_bwd, data, data, 0f, 0f), OneDnn.ENGINE,
          hint));
    });
    long[] dims = {n};
    try (memory dstMem = OneDnn.wrap(dst, dims, memory.format_tag.x);
        memory diffDstMem = OneDnn.wrap(diffDst, dims, memory.format_tag.x);
        memory diffSrcMem = OneDnn.wrap(diffSrc, dims, memory.format_tag.x)) {
      OneDnn.execute(backward, dnnl.DNNL_ARG_DST, dstMem, dnnl.DNNL_ARG_DIFF_DST, diffDstMem, dnnl.DNNL_ARG_DIFF_SRC,
          diffSrcMem);
    }
  }

  private static Plan plan(INDArray src, INDArray dst, INDArray weights, boolean bias, int[] padding,
      boolean channelsLast, boolean relu) {
    long[] srcDims = OneDnn.logicalDims(src, channelsLast);
    long[] dstDims = OneDnn.logicalDims(dst, channelsLast);
    if (srcDims.length != 4 && srcDims.length != 5 || weights.rank() != srcDims.length
        || padding.length != srcDims.length - 2) {
      throw new IllegalArgumentException("oneDNN convolution: src " + Arrays.toString(src.shape()) + ", weights "
          + Arrays.toString(weights.shape()) + ", padding " + Arrays.toString(padding));
    }
    Key key = new Key(srcDims, dstDims, weights.shape().clone(), bias, padding.clone(), channelsLast, relu);
    return OneDnn.cached(key, () -> new Plan(key));
  }

  /**
   * One convolution's primitives, built on first use. The forward primitive descriptor is the hint both backward
   * primitives need; the weights and their gradient live in oneDNN's chosen layout in memory the plan owns.
   */
  private static final class Plan {
    final Key key;
    final memory.format_tag activations;
    final memory.format_tag weightsTag;
    final memory.desc bias;
    final memory.desc anyWeights;
    final long[] strides;
    final long[] pad;
    final convolution_forward.primitive_desc forwardPd;
    convolution_forward forward;
    memory forwardWeights;
    reorder toForwardWeights;
    convolution_backward_data backwardData;
    memory backwardDataWeights;
    reorder toBackwardDataWeights;
    convolution_backward_weights backwardWeights;
    memory diffWeights;
    reorder fromDiffWeights;

    Plan(Key k) {
      this.key = k;
      boolean three = k.src.length == 5;
      activations = OneDnn.activationTag(k.src.length, k.channelsLast);
      weightsTag = three ? memory.format_tag.oidhw : memory.format_tag.oihw;
      anyWeights = new memory.desc(k.weights, memory.data_type.f32, memory.format_tag.any);
      bias = k.bias ? new memory.desc(new long[] {k.weights[0]}, memory.data_type.f32, memory.format_tag.x)
          : new memory.desc();
      strides = new long[k.padding.length];
      Arrays.fill(strides, 1);
      pad = Arrays.stream(k.padding).asLongStream().toArray();
      primitive_attr attr = new primitive_attr();
      if (k.relu) {
        post_ops ops = new post_ops();
        ops.append_eltwise(1f, dnnl.algorithm.eltwise_relu, 0f, 0f);
        attr.set_post_ops(ops);
      }
      forwardPd = new convolution_forward.primitive_desc(
          new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
              desc(k.src), anyWeights, bias, desc(k.dst), strides, pad, pad), attr, OneDnn.ENGINE);
    }

    memory.desc desc(long[] dims) {
      return new memory.desc(dims, memory.data_type.f32, activations);
    }

    memory.desc userWeights() {
      return new memory.desc(key.weights, memory.data_type.f32, weightsTag);
    }

    void forwardPrimitive() {
      if (forward == null) {
        forwardWeights = new memory(forwardPd.weights_desc(), OneDnn.ENGINE);
        toForwardWeights = new reorder(new reorder.primitive_desc(OneDnn.ENGINE, userWeights(), OneDnn.ENGINE, forwardPd.weights_desc()));
        forward = new convolution_forward(forwardPd);
      }
    }

    void backwardDataPrimitive() {
      if (backwardData == null) {
        convolution_backward_data.primitive_desc pd = new convolution_backward_data.primitive_desc(
            new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, desc(key.src), anyWeights,
                desc(key.dst), strides, pad, pad), OneDnn.ENGINE, forwardPd);
        backwardDataWeights = new memory(pd.weights_desc(), OneDnn.ENGINE);
        toBackwardDataWeights = new reorder(new reorder.primitive_desc(OneDnn.ENGINE, userWeights(), OneDnn.ENGINE, pd.weights_desc()));
        backwardData = new convolution_backward_data(pd);
      }
    }

    void backwardWeightsPrimitive() {
      if (backwardWeights == null) {
        convolution_backward_weights.primitive_desc pd = new convolution_backward_weights.primitive_desc(
            new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, desc(key.src), anyWeights,
                bias, desc(key.dst), strides, pad, pad), OneDnn.ENGINE, forwardPd);
        diffWeights = new memory(pd.diff_weights_desc(), OneDnn.ENGINE);
        fromDiffWeights = new reorder(new reorder.primitive_desc(OneDnn.ENGINE, pd.diff_weights_desc(), OneDnn.ENGINE, userWeights()));
        backwardWeights = new convolution_backward_weights(pd);
      }
    }
  }

  private record Key(long[] src, long[] dst, long[] weights, boolean bias, int[] padding, boolean channelsLast,
      boolean relu) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(src, k.src) && Arrays.equals(dst, k.dst)
          && Arrays.equals(weights, k.weights) && bias == k.bias && Arrays.equals(padding, k.padding)
          && channelsLast == k.channelsLast && relu == k.relu;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(new int[] {Arrays.hashCode(src), Arrays.hashCode(dst), Arrays.hashCode(weights),
          Boolean.hashCode(bias), Arrays.hashCode(padding), Boolean.hashCode(channelsLast), Boolean.hashCode(relu)});
    }
  }
}
