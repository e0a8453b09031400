package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class ChannelsFirstPreProcessorTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
  private final ChannelsFirstPreProcessor pre = new ChannelsFirstPreProcessor(3, 4, 5, 2);

  @Test
  void reshapesRowsToNcdhwAndBack() {
    INDArray rows = Nd4j.rand(DataType.FLOAT, 2, 120);
    INDArray vol = pre.preProcess(rows, 2, NO_WS);
    assertArrayEquals(new long[] {2, 2, 3, 4, 5}, vol.shape());
    assertEquals(rows.getFloat(1, 119), vol.getFloat(1, 1, 2, 3, 4));
    assertEquals(rows, pre.backprop(vol.dup(), 2, NO_WS));
    assertEquals(Convolution3D.DataFormat.NCDHW,
        ((InputType.InputTypeConvolutional3D) pre.getOutputType(InputType.feedForward(120))).getDataFormat());
  }

  @Test
  void passesAMissingInputGradientOnAndRejectsWrongRows() {
    assertNull(pre.backprop(null, 2, NO_WS));
    assertNull(new ChannelsLastPreProcessor(3, 4, 5, 2).backprop(null, 2, NO_WS));
    assertThrows(IllegalArgumentException.class, () -> pre.preProcess(Nd4j.rand(DataType.FLOAT, 2, 121), 2, NO_WS));
  }

  @Test
  void layoutsAreDifferentPreprocessorsAndSurviveJson() throws Exception {
    assertNotEquals(pre, new ChannelsLastPreProcessor(3, 4, 5, 2));
    assertEquals(pre, pre.clone());
    ObjectMapper json = new ObjectMapper();
    assertEquals(pre, json.readValue(json.writeValueAsString(pre), ChannelsFirstPreProcessor.class));
    InputPreProcessor last = new ChannelsLastPreProcessor(3, 4, 5, 2);
    assertEquals(last, json.readValue(json.writeValueAsString(last), ChannelsLastPreProcessor.class));
  }
}
