package org.gliomabench.core.model;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A C-order copy of a strided view (a permutation between layouts, a channel slice of a concatenation) into an
 * array of the given workspace type: oneDNN's JIT reorder where it is loaded ({@link OneDnn#assign}), ND4J's assign
 * otherwise.
 */
public final class LayoutCopy {
  private LayoutCopy() {}

  /** A dense C-order copy of {@code view}, allocated as {@code type}. */
  public static INDArray copy(INDArray view, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
    if (!OneDnn.available() || view.dataType() != DataType.FLOAT) {
      return workspaceMgr.dup(type, view, 'c');
    }
    INDArray out = workspaceMgr.createUninitialized(type, DataType.FLOAT, view.shape(), 'c');
    OneDnn.assign(out, view);
    return out;
  }

  /** {@code dst.assign(src)} for arrays of one shape, through oneDNN where it is loaded. */
  public static void assign(INDArray dst, INDArray src) {
    if (OneDnn.available() && dst.dataType() == DataType.FLOAT && src.dataType() == DataType.FLOAT) {
      OneDnn.assign(dst, src);
    } else {
      dst.assign(src);
    }
  }
}
