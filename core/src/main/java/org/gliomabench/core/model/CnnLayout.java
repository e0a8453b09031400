package org.gliomabench.core.model;

import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * Memory layout of the CNN's 3D activations. The data path always carries channel-first rows [C*D*H*W];
 * the first preprocessor turns them into this layout.
 *
 * <p>{@link #NDHWC} is the default: with ND4J's oneDNN CPU build it avoids a layout reorder around every
 * convolution and takes oneDNN's JIT max pooling (a training step at 4x95x128x128, batch 2, 2 cores: 0.46 s
 * against 0.78 s in NCDHW, 0.91 s against 1.15 s with DL4J's stock convolutions; {@code bench cnn} prints
 * both). {@link #NCDHW} is the layout cuDNN's 3D
 * convolutions are written for; on GPU executors compare both with {@code bench cnn}.
 */
public enum CnnLayout {
  NDHWC(Convolution3D.DataFormat.NDHWC),
  NCDHW(Convolution3D.DataFormat.NCDHW);

  private final Convolution3D.DataFormat format;

  CnnLayout(Convolution3D.DataFormat format) {
    this.format = format;
  }

  /** DL4J's name for this layout on Convolution3D and Subsampling3DLayer. */
  public Convolution3D.DataFormat dataFormat() {
    return format;
  }

  /** From a setting value: ndhwc / channels_last or ncdhw / channels_first (any case). */
  public static CnnLayout parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    switch (v) {
      case "ndhwc": case "channels_last": return NDHWC;
      case "ncdhw": case "channels_first": return NCDHW;
      default:
        throw new IllegalArgumentException("CNN layout must be ndhwc (channels_last) or ncdhw (channels_first), got '"
            + value + "'");
    }
  }
}
