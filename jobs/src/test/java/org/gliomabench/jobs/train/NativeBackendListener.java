package org.gliomabench.jobs.train;

import org.gliomabench.core.model.NativeBackend;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Chooses the ND4J CPU build before any test class can load ND4J (registered in META-INF/services). */
public class NativeBackendListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NativeBackend.configure();
  }
}
