package org.gliomabench.jobs.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at semicolons that are not inside quotes ('...', "...", `...`), a
 * line comment (-- to the end of the line) or a block comment. Statements are trimmed; empty ones (and
 * ones that are only comments) are dropped. {@link #remainder} is the unfinished tail, for the shell.
 */
final class SqlScript {
  private final List<String> statements = new ArrayList<>();
  private final String remainder;

  private SqlScript(String text) {
    StringBuilder current = new StringBuilder();
    boolean content = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != c) {
          end += text.charAt(end) == '\\' && c != '`' ? 2 : 1;
        }
        end = Math.min(end + 1, text.length());
        current.append(text, i, end);
        content = true;
        i = end;
      } else if (c == '-' && next == '-') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? text.length() : end;
        current.append(text, i, end);
        i = end;
      } else if (c == '/' && next == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
        current.append(text, i, end);
        i = end;
      } else if (c == ';') {
        if (content) {
          statements.add(current.toString().trim());
        }
        current.setLength(0);
        content = false;
        i++;
      } else {
        current.append(c);
        content |= !Character.isWhitespace(c);
        i++;
      }
    }
    remainder = content ? current.toString() : "";
  }

  /** Every statement of a script, the last one with or without its semicolon. */
  static List<String> statements(String text) {
    SqlScript s = new SqlScript(text);
    List<String> all = new ArrayList<>(s.statements);
    if (!s.remainder.isBlank()) {
      all.add(s.remainder.trim());
    }
    return all;
  }

  /** The complete statements of what was typed so far, and the unfinished rest. */
  static SqlScript typed(String text) {
    return new SqlScript(text);
  }

  List<String> complete() {
    return statements;
  }

  String remainder() {
    return remainder;
  }
}
