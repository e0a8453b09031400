package org.gliomabench.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What DL4J's layer configurations do in {@code instantiate} around a new implementation; the project's layers too. */
final class LayerSetup {
  private LayerSetup() {}

  static <L extends Layer> L setUp(L layer, ParamInitializer initializer, NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }
}
