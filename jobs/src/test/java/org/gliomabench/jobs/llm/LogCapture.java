package org.gliomabench.jobs.llm;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures every log event (org.gliomabench at DEBUG, the rest at INFO) while open. */
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final StringBuilder text = new StringBuilder();
  private final LoggerConfig gliomaConfig;
  private final Level previous;

  private LogCapture(LoggerConfig gliomaConfig) {
    super("capture", null, null, true, Property.EMPTY_ARRAY);
    this.gliomaConfig = gliomaConfig;
    this.previous = gliomaConfig.getLevel();
  }

  static LogCapture open() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration conf = ctx.getConfiguration();
    LoggerConfig glioma = conf.getLoggerConfig("org.gliomabench");
    if (!glioma.getName().equals("org.gliomabench")) {
      glioma = new LoggerConfig("org.gliomabench", Level.DEBUG, true);
      conf.addLogger("org.gliomabench", glioma);
    }
    LogCapture c = new LogCapture(glioma);
    c.start();
    glioma.setLevel(Level.DEBUG);
    glioma.addAppender(c, Level.DEBUG, null);
    conf.getRootLogger().addAppender(c, Level.INFO, null);
    ctx.updateLoggers();
    return c;
  }

  @Override
  public synchronized void append(LogEvent event) {
    text.append(event.getLoggerName()).append(": ").append(event.getMessage().getFormattedMessage()).append('\n');
    if (event.getThrown() != null) {
      text.append(event.getThrown()).append('\n');
    }
  }

  synchronized String text() {
    return text.toString();
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    gliomaConfig.removeAppender(getName());
    gliomaConfig.setLevel(previous);
    ctx.getConfiguration().getRootLogger().removeAppender(getName());
    ctx.updateLoggers();
    stop();
  }
}
