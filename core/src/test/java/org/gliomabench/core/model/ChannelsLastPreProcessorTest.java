package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChannelsLastPreProcessorTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
  private final ChannelsLastPreProcessor pre = new ChannelsLastPreProcessor(3, 4, 5, 2);

  @Test
  void permutesChannelFirstRowsToNdhwc() {
    INDArray rows = Nd4j.rand(DataType.FLOAT, 2, 2 * 3 * 4 * 5);
    INDArray out = pre.preProcess(rows, 2, NO_WS);
    assertArrayEquals(new long[] {2, 3, 4, 5, 2}, out.shape());
    INDArray expected = rows.reshape('c', 2, 2, 3, 4, 5).permute(0, 2, 3, 4, 1);
    assertEquals(expected, out);
    INDArray snapshot = out.dup();
    rows.addi(1);
    assertEquals(snapshot, out, "a copy, not a view on the rows");
  }

  @Test
  void backpropIsTheInversePermutation() {
    INDArray rows = Nd4j.rand(DataType.FLOAT, 3, 2 * 3 * 4 * 5);
    INDArray eps = pre.preProcess(rows, 3, NO_WS).dup();
    INDArray back = pre.backprop(eps, 3, NO_WS);
    assertArrayEquals(rows.shape(), back.shape());
    assertEquals(rows, back);
  }

  @Test
  void rejectsRowsOfTheWrongLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pre.preProcess(Nd4j.rand(DataType.FLOAT, 1, 119), 1, NO_WS));
    assertTrue(e.getMessage().contains("[N, 120]"), e.getMessage());
  }

  @Test
  void givesNdhwcInputTypeAndChecksItsInput() {
    InputType t = pre.getOutputType(InputType.feedForward(120));
    assertInstanceOf(InputType.InputTypeConvolutional3D.class, t);
    InputType.InputTypeConvolutional3D c3 = (InputType.InputTypeConvolutional3D) t;
    assertEquals(Convolution3D.DataFormat.NDHWC, c3.getDataFormat());
    assertEquals(3, c3.getDepth());
    assertEquals(2, c3.getChannels());
    assertThrows(IllegalStateException.class, () -> pre.getOutputType(InputType.feedForward(100)));
  }

  @Test
  void survivesTheJsonAndJavaSerialisationSparkAndCheckpointsUse() throws Exception {
    MultiLayerConfiguration conf = GliomaCnn.configuration(CnnSpec.of(new int[] {2, 4, 8, 8}, 1e-3, 1));
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    assertEquals(new ChannelsLastPreProcessor(4, 8, 8, 2), back.getInputPreProcess(0));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(pre);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(pre, in.readObject());
    }
  }

  @Test
  void layoutNamesParse() {
    assertEquals(CnnLayout.NDHWC, CnnLayout.parse("channels-last"));
    assertEquals(CnnLayout.NDHWC, CnnLayout.parse(" NDHWC "));
    assertEquals(CnnLayout.NCDHW, CnnLayout.parse("channels_first"));
    assertThrows(IllegalArgumentException.class, () -> CnnLayout.parse("nhwc"));
  }

  @Test
  void channelsLastToRowsIsTheInverseAndSurvivesJson() throws Exception {
    ChannelsLastToRowsPreProcessor rows = new ChannelsLastToRowsPreProcessor(3, 4, 5, 2);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2 * 3 * 4 * 5);
    INDArray ndhwc = pre.preProcess(x, 2, NO_WS);
    assertEquals(x, rows.preProcess(ndhwc, 2, NO_WS), "rows back in channel-first order");
    assertEquals(ndhwc, rows.backprop(x, 2, NO_WS), "the rows' gradient back to channels last");
    assertThrows(IllegalArgumentException.class, () -> rows.preProcess(Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5, 3), 2, NO_WS));
    InputType t = rows.getOutputType(InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 3, 4, 5, 2));
    assertEquals(120, t.arrayElementsPerExample());
    assertThrows(IllegalStateException.class,
        () -> rows.getOutputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 3, 4, 5, 2)));
    org.nd4j.shade.jackson.databind.ObjectMapper json = new org.nd4j.shade.jackson.databind.ObjectMapper();
    assertEquals(rows, json.readValue(json.writeValueAsString(rows), ChannelsLastToRowsPreProcessor.class));
  }
}
