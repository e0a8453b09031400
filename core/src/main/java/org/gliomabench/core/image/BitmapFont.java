package org.gliomabench.core.image;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 5 x 7 pixel font of capitals, digits and a few signs, for the labels drawn into images an LLM is shown (tile
 * names of a montage, the grades of few-shot examples). Drawn by hand instead of through AWT fonts, which need a
 * font configuration that minimal executor images lack; lower case is drawn as capitals.
 */
public final class BitmapFont {
  public static final int GLYPH_WIDTH = 5;
  public static final int GLYPH_HEIGHT = 7;
  /** Pixels between glyphs, at scale 1. */
  public static final int SPACING = 1;

  private static final Map<Character, String[]> GLYPHS = new HashMap<>();

  private BitmapFont() {}

  private static void glyph(char c, String... rows) {
    GLYPHS.put(c, rows);
  }

  static {
    glyph('A', " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
    glyph('B', "#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### ");
    glyph('C', " ####", "#    ", "#    ", "#    ", "#    ", "#    ", " ####");
    glyph('D', "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### ");
    glyph('E', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####");
    glyph('F', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    ");
    glyph('G', " ####", "#    ", "#    ", "#  ##", "#   #", "#   #", " ####");
    glyph('H', "#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
    glyph('I', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "#####");
    glyph('J', "  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  ");
    glyph('K', "#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #");
    glyph('L', "#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####");
    glyph('M', "#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #");
    glyph('N', "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #");
    glyph('O', " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
    glyph('P', "#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    ");
    glyph('Q', " ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #");
    glyph('R', "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #");
    glyph('S', " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### ");
    glyph('T', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ");
    glyph('U', "#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
    glyph('V', "#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  ");
    glyph('W', "#   #", "#   #", "#   #", "# # #", "# # #", "## ##", "#   #");
    glyph('X', "#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #");
    glyph('Y', "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  ");
    glyph('Z', "#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####");
    glyph('0', " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ");
    glyph('1', "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
    glyph('2', " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####");
    glyph('3', "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ");
    glyph('4', "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ");
    glyph('5', "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ");
    glyph('6', "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ");
    glyph('7', "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ");
    glyph('8', " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ");
    glyph('9', " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ");
    glyph(' ', "     ", "     ", "     ", "     ", "     ", "     ", "     ");
    glyph(':', "     ", "  #  ", "  #  ", "     ", "  #  ", "  #  ", "     ");
    glyph('?', " ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  ");
    glyph('(', "   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # ");
    glyph(')', " #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   ");
    glyph('.', "     ", "     ", "     ", "     ", "     ", " ##  ", " ##  ");
    glyph(',', "     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   ");
    glyph('-', "     ", "     ", "     ", "#####", "     ", "     ", "     ");
    glyph('/', "    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    ");
    glyph('=', "     ", "     ", "#####", "     ", "#####", "     ", "     ");
    glyph('%', "##  #", "##  #", "   # ", "  #  ", " #   ", "#  ##", "#  ##");
  }

  /** Whether every character of {@code text} can be drawn. */
  public static boolean canDraw(String text) {
    return text.toUpperCase(Locale.ROOT).chars().allMatch(c -> GLYPHS.containsKey((char) c));
  }

  /** Width in pixels of {@code text} at {@code scale}. */
  public static int width(String text, int scale) {
    return text.isEmpty() ? 0 : (text.length() * (GLYPH_WIDTH + SPACING) - SPACING) * scale;
  }

  public static int height(int scale) {
    return GLYPH_HEIGHT * scale;
  }

  /** Calls {@code ink} for every pixel of {@code text} drawn with its top-left corner at (x, y). */
  static void draw(String text, int x, int y, int scale, PixelSink ink) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      String[] rows = GLYPHS.get(upper.charAt(i));
      if (rows == null) {
        throw new IllegalArgumentException("no glyph for '" + upper.charAt(i) + "' in \"" + text + "\"");
      }
      int gx = x + i * (GLYPH_WIDTH + SPACING) * scale;
      for (int r = 0; r < GLYPH_HEIGHT; r++) {
        for (int c = 0; c < GLYPH_WIDTH; c++) {
          if (rows[r].charAt(c) == '#') {
            for (int dy = 0; dy < scale; dy++) {
              for (int dx = 0; dx < scale; dx++) {
                ink.set(gx + c * scale + dx, y + r * scale + dy);
              }
            }
          }
        }
      }
    }
  }

  /** Receives the pixels of a glyph. */
  interface PixelSink {
    void set(int x, int y);
  }
}
