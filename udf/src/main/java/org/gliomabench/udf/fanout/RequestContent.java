package org.gliomabench.udf.fanout;

import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.image.Canvas;
import org.gliomabench.core.image.LabelledGrid;
import org.gliomabench.udf.client.ChatRequestBody.Part;
import org.gliomabench.udf.prompt.PromptTemplate;

/**
 * What one request shows, in order, for the arm's prompt: the image asked about and the question; for few-shot
 * prompts first each labelled example (a caption, then its image) or, in the grid layout, one image holding the
 * examples under their grades and the slice under "?".
 */
public final class RequestContent {
  private RequestContent() {}

  public static List<Part> of(PromptTemplate t, SliceCall c) {
    List<Integer> labels = c.examples().stream().map(SliceCall.Example::label).toList();
    List<Part> parts = new ArrayList<>();
    switch (t.shown()) {
      case FEW_SHOT:
        requireExamples(t, c);
        parts.add(Part.text(t.examplesIntro()));
        for (int i = 0; i < c.examples().size(); i++) {
          SliceCall.Example e = c.examples().get(i);
          parts.add(Part.text(t.caption(i + 1, e.label())));
          parts.add(Part.image(e.png()));
        }
        parts.add(Part.text(t.queryCaption()));
        parts.add(Part.image(c.png()));
        break;
      case FEW_SHOT_GRID:
        requireExamples(t, c);
        parts.add(Part.image(grid(c)));
        break;
      default:
        parts.add(Part.image(c.png()));
    }
    parts.add(Part.text(t.render(c.width(), c.height(), labels, c.statedPHgg())));
    return parts;
  }

  /** The examples under "1: HGG", "2: LGG", ... and the slice asked about under "?", in rows of three. */
  static byte[] grid(SliceCall c) {
    List<LabelledGrid.Tile> tiles = new ArrayList<>();
    for (int i = 0; i < c.examples().size(); i++) {
      SliceCall.Example e = c.examples().get(i);
      tiles.add(new LabelledGrid.Tile(PromptTemplate.gradeTile(i + 1, e.label()), Canvas.fromPng(e.png())));
    }
    tiles.add(new LabelledGrid.Tile("?", Canvas.fromPng(c.png())));
    return LabelledGrid.compose(tiles, Math.min(3, tiles.size())).toPng();
  }

  private static void requireExamples(PromptTemplate t, SliceCall c) {
    if (c.examples().isEmpty()) {
      throw new IllegalArgumentException("prompt " + t.id() + " shows labelled examples and call " + c.callKey()
          + " (patient " + c.patientId() + ") has none");
    }
  }

  public static int images(List<Part> parts) {
    return (int) parts.stream().filter(Part::isImage).count();
  }
}
