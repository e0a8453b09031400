package org.gliomabench.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    String script = "SELECT 'a;b' AS x; -- a comment; with a semicolon\n"
        + "SELECT \"c;d\", `e;f` FROM t /* block; comment */ WHERE y = 'it''s';\n"
        + "  ;  \n"
        + "SHOW TABLES";
    assertEquals(List.of("SELECT 'a;b' AS x",
        "-- a comment; with a semicolon\nSELECT \"c;d\", `e;f` FROM t /* block; comment */ WHERE y = 'it''s'",
        "SHOW TABLES"), SqlScript.statements(script));
  }

  @Test
  void aCommentAloneIsNoStatement() {
    assertEquals(List.of(), SqlScript.statements("-- nothing here\n/* nor here */;"));
  }

  @Test
  void theShellKeepsAnUnfinishedStatementUntilItsSemicolon() {
    SqlScript first = SqlScript.typed("SELECT model,\n");
    assertEquals(List.of(), first.complete());
    SqlScript second = SqlScript.typed(first.remainder() + "value FROM metrics; SELECT 'open\n");
    assertEquals(List.of("SELECT model,\nvalue FROM metrics"), second.complete());
    SqlScript third = SqlScript.typed(second.remainder() + "quote;';\n");
    assertEquals(List.of("SELECT 'open\nquote;'"), third.complete());
  }
}
