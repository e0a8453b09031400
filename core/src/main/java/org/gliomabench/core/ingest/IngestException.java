package org.gliomabench.core.ingest;

/** Raised in strict mode at the first rejected input, and carrying that rejection. */
public final class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient IngestIssue issue;

  public IngestException(IngestIssue issue) {
    super(issue.toString());
    this.issue = issue;
  }

  public IngestIssue issue() {
    return issue;
  }
}
