package org.gliomabench.core.synth;

/**
 * Tissue classes of the synthetic brain and their mean intensities per modality (arbitrary units in the
 * range of raw BraTS scans). The contrasts follow the clinical picture: oedema bright on T2 and FLAIR and
 * dark-ish on T1; CSF bright on T2 and suppressed on FLAIR; the enhancing rim bright on T1ce only;
 * necrosis dark on T1/T1ce, bright on T2, intermediate on FLAIR.
 */
enum Tissue {
  //                 t1   t1ce  t2   flair
  WHITE_MATTER(     440, 460, 280, 320),
  GREY_MATTER(      320, 340, 400, 400),
  CSF(              120, 140, 720, 100),
  OEDEMA(           280, 300, 640, 680),
  NECROSIS(         160, 180, 760, 360),
  /** Enhancing rim before contrast; its T1ce brightening is added per patient (faint or strong). */
  ENHANCING(        340, 340, 520, 560),
  NON_ENHANCING(    260, 270, 600, 600);

  private final float[] mean;

  Tissue(float t1, float t1ce, float t2, float flair) {
    this.mean = new float[] {t1, t1ce, t2, flair};
  }

  /** Mean intensity for a modality index in {@link SyntheticCohort#IMAGE_MODALITIES} order. */
  float mean(int modality) {
    return mean[modality];
  }
}
