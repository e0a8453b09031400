package org.gliomabench.core.config;

/** A configuration or command-line problem the user can fix; the launcher prints it without a stack trace. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
