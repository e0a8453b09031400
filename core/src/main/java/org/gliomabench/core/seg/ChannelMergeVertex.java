package org.gliomabench.core.seg;

import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.gliomabench.core.model.LayoutCopy;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's {@link MergeVertex} (concatenation along the channel axis) whose backward pass also handles
 * rank-5 (NCDHW) activations: DL4J 1.0.0-M2.1's vertex concatenates 3-D activations in the forward pass
 * but its backward pass throws "Invalid rank during forward pass (not 2, 3, 4)". For other ranks it is
 * DL4J's own vertex unchanged. Serialises to JSON like any vertex (no extra fields).
 */
public class ChannelMergeVertex extends MergeVertex {
  private static final long serialVersionUID = 1L;

  @Override
  public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
      boolean initializeParams, DataType networkDatatype) {
    return new Impl(graph, name, idx, networkDatatype, getMergeAxis());
  }

  @Override
  public ChannelMergeVertex clone() {
    ChannelMergeVertex v = new ChannelMergeVertex();
    v.setMergeAxis(getMergeAxis());
    v.setModified(isModified());
    return v;
  }

  @Override
  public String toString() {
    return "ChannelMergeVertex(axis=" + getMergeAxis() + ")";
  }

  /** The runtime vertex: DL4J's, with the rank-5 backward pass added. */
  static final class Impl extends org.deeplearning4j.nn.graph.vertex.impl.MergeVertex {
    private final int axis;
    private long[] sizes;

    Impl(ComputationGraph graph, String name, int idx, DataType dataType, int axis) {
      super(graph, name, idx, dataType, axis);
      this.axis = axis;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
      if (inputs != null) {
        sizes = new long[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
          sizes[i] = inputs[i].size(axis);
        }
      }
      return super.doForward(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
      if (epsilon == null || epsilon.rank() != 5 || sizes == null || sizes.length < 2) {
        return super.doBackward(tbptt, workspaceMgr);
      }
      INDArray[] out = new INDArray[sizes.length];
      long from = 0;
      for (int i = 0; i < sizes.length; i++) {
        INDArrayIndex[] idx = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
            NDArrayIndex.all()};
        idx[axis] = NDArrayIndex.interval(from, from + sizes[i]);
        out[i] = LayoutCopy.copy(epsilon.get(idx), ArrayType.ACTIVATION_GRAD, workspaceMgr);
        from += sizes[i];
      }
      return new Pair<>(null, out);
    }
  }
}
