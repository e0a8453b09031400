package org.gliomabench.core.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.image.Canvas;
import org.gliomabench.core.image.LabelledGrid;

/**
 * The four-modality montage of a slice: T1, T1CE (top), T2, FLAIR (bottom), each tile windowed like the FLAIR PNG
 * (its own brain voxels' percentiles, so every modality of a patient shares one window across slices), laid out as
 * ingest lays out slices ({@link SliceGeometry}), each under its name. What the montage LLM arm is shown.
 */
public final class MontageRenderer {
  /** Tile names in order (left to right, top to bottom), as drawn and as the montage prompt names them. */
  public static final List<String> TILES = List.of("T1", "T1CE", "T2", "FLAIR");

  /** One modality: its voxels in file order, background value and window. */
  public record Channel(float[] data, float background, float low, float high) {}

  private final List<Channel> channels;
  private final Orientation.Indexer ix;

  /** {@code channels}: T1, T1CE, T2, FLAIR of one patient, all of {@code fileShape}. */
  public MontageRenderer(List<Channel> channels, int[] fileShape, Orientation orientation) {
    if (channels.size() != TILES.size()) {
      throw new IllegalArgumentException("a montage needs " + TILES.size() + " modalities, got " + channels.size());
    }
    this.channels = List.copyOf(channels);
    this.ix = orientation.indexer(fileShape);
  }

  /** The montage PNG of canonical slice {@code s} of {@code plane}. */
  public byte[] render(Plane plane, int s) {
    int width = SliceGeometry.width(plane, ix);
    int height = SliceGeometry.height(plane, ix);
    List<LabelledGrid.Tile> tiles = new ArrayList<>();
    for (int i = 0; i < TILES.size(); i++) {
      Channel c = channels.get(i);
      byte[] pixels = SliceGeometry.windowed(c.data(), c.background(), c.low(), c.high(), plane, ix, s);
      tiles.add(new LabelledGrid.Tile(TILES.get(i), Canvas.ofGray(pixels, width, height)));
    }
    return LabelledGrid.compose(tiles, 2).toPng();
  }
}
