package org.gliomabench.udf.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses answers to classify prompts. Strict: the study's format {@code Choice: k Reasoning: ...}, a bare
 * {@code k} (constrained decoding) or {@code {"choice": k, ...}} (JSON-schema decoding). Lenient, recorded
 * with {@code strictFormat = false} so the study's "fourth bucket" can still be counted: a {@code Choice}
 * label anywhere ("ERROR: Unknown >>|| Choice: 1 ||", "Classification: Choice: 2"), with the choice as a
 * digit or as the class name. Everything else, an echoed template ("Choice: <0, 1, or 2>"), conflicting
 * choices or a number outside 0-2 is a parse error.
 */
public final class ClassifyParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STRICT = Pattern.compile("(?s)^Choice:\\s*([012])\\s+Reasoning:\\s*\\S.*");
  private static final Pattern BARE = Pattern.compile("^([012])\\.?$");
  /** "choice" then separators and decorations, then a number or a class name. */
  private static final Pattern LABELLED = Pattern.compile(
      "(?i)\\bchoice\\b\\s*[:=\\-]?\\s*[<\\[(*\"'`|>]{0,4}\\s*(\\d+|low[\\s-]*grade glioma|high[\\s-]*grade glioma|no glioma|lgg|hgg)");
  private static final Pattern LIST_FOLLOWS = Pattern.compile("^\\s*(,\\s*(or\\s+)?\\d|(or|/|-)\\s*\\d)");

  private ClassifyParser() {}

  public static ParsedAnswer parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return ParsedAnswer.error("empty answer");
    }
    String text = raw.strip();
    int lead = raw.indexOf(text);
    Matcher m = STRICT.matcher(text);
    if (m.matches()) {
      ParsedAnswer all = parseLabelled(raw); // the reasoning may name another choice
      return all.ok() ? ParsedAnswer.choice(m.group(1).charAt(0) - '0', true, lead + m.start(1)) : all;
    }
    m = BARE.matcher(text);
    if (m.matches()) {
      return ParsedAnswer.choice(m.group(1).charAt(0) - '0', true, lead);
    }
    if (text.startsWith("{")) {
      ParsedAnswer json = parseJson(text, lead);
      if (json != null) {
        return json;
      }
    }
    return parseLabelled(raw);
  }

  private static ParsedAnswer parseJson(String text, int lead) {
    try {
      JsonNode node = JSON.readTree(text);
      JsonNode c = node.get("choice");
      if (c == null) {
        return null;
      }
      String v = c.asText().trim();
      if (!v.matches("[012]")) {
        return ParsedAnswer.error("JSON choice '" + v + "' is not 0, 1 or 2");
      }
      int digit = text.indexOf(v, text.indexOf("\"choice\""));
      return ParsedAnswer.choice(v.charAt(0) - '0', true, digit < 0 ? -1 : lead + digit);
    } catch (Exception e) {
      return null; // not JSON after all: try the lenient reading
    }
  }

  private static ParsedAnswer parseLabelled(String raw) {
    Matcher m = LABELLED.matcher(raw);
    Integer found = null;
    int offset = -1;
    while (m.find()) {
      String after = raw.substring(m.end(1), Math.min(raw.length(), m.end(1) + 8));
      String token = m.group(1).toLowerCase(Locale.ROOT);
      if (Character.isDigit(token.charAt(0)) && LIST_FOLLOWS.matcher(after).find()) {
        continue; // "Choice: <0, 1, or 2>": the template echoed back, not a choice
      }
      int value = valueOf(token);
      if (value < 0) {
        return ParsedAnswer.error("choice " + token + " is not 0, 1 or 2");
      }
      if (found != null && found != value) {
        return ParsedAnswer.error("conflicting choices " + found + " and " + value);
      }
      if (found == null) {
        found = value;
        offset = Character.isDigit(token.charAt(0)) ? m.start(1) : -1;
      }
    }
    if (found == null) {
      return ParsedAnswer.error("no 'Choice: 0/1/2' in the answer");
    }
    return ParsedAnswer.choice(found, false, offset);
  }

  private static int valueOf(String token) {
    if (Character.isDigit(token.charAt(0))) {
      return token.matches("[012]") ? token.charAt(0) - '0' : -1;
    }
    if (token.startsWith("low") || token.equals("lgg")) {
      return 0;
    }
    if (token.startsWith("high") || token.equals("hgg")) {
      return 1;
    }
    return 2;
  }
}
