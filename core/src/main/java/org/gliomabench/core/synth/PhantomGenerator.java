package org.gliomabench.core.synth;

import java.util.Random;
import org.gliomabench.core.brats.Grade;

/**
 * Builds one synthetic patient: a skull-stripped brain (white matter, grey-matter cortex, ventricles,
 * background exactly 0) in four modalities, with a glioma of random size and position inside it.
 * HGG: enhancing rim (label 4) around a necrotic core (1) inside oedema (2). LGG: a non-enhancing core (1)
 * inside oedema (2), never label 4. The grades overlap on purpose so that the task is learnable but not
 * trivial: tumour sizes overlap, a quarter of the HGG rims are thin and a quarter faint, a third of the LGG
 * cores brighten slightly on T1ce, and every scan has its own intensity scale, smooth bias field, texture
 * and Gaussian noise. Everything is drawn from the given Random, so a seed fixes every voxel.
 */
final class PhantomGenerator {
  /** Modalities in Tissue column order. */
  static final int T1 = 0;
  static final int T1CE = 1;
  static final int T2 = 2;
  static final int FLAIR = 3;
  static final int MODALITIES = 4;
  /** Edge softness in voxels (partial volume), so that compartments blend over about two voxels. */
  private static final double SOFTNESS = 0.6;
  /** T1ce brightening of a fully enhancing rim, in intensity units. */
  private static final float ENHANCEMENT = 420;

  /** The generated volumes, x fastest: four images (t1, t1ce, t2, flair) and the labels. */
  record Phantom(float[][] images, float[] seg, int label1, int label2, int label4) {}

  private final int nx;
  private final int ny;
  private final int nz;

  PhantomGenerator(int[] shape) {
    this.nx = shape[0];
    this.ny = shape[1];
    this.nz = shape[2];
  }

  Phantom generate(Grade grade, Random r) {
    // ---- anatomy
    double bx = nx / 2.0 + u(r, -0.03, 0.03) * nx;
    double by = ny / 2.0 + u(r, -0.03, 0.03) * ny;
    double bz = nz / 2.0 + u(r, -0.03, 0.03) * nz;
    double ax = nx * u(r, 0.38, 0.44);
    double ay = ny * u(r, 0.40, 0.46);
    double az = nz * u(r, 0.38, 0.44);
    Blob brain = new Blob(bx, by, bz, ax, ay, az, 0.03, r);
    double wmScale = u(r, 0.72, 0.80);
    Blob whiteMatter = new Blob(bx, by, bz, ax * wmScale, ay * wmScale, az * wmScale, 0.10, r);
    Blob[] ventricles = new Blob[2];
    for (int side = 0; side < 2; side++) {
      ventricles[side] = new Blob(bx + (side == 0 ? -1 : 1) * 0.12 * ax, by - 0.05 * ay, bz + 0.05 * az,
          0.08 * ax, 0.28 * ay, 0.16 * az, 0.10, r);
    }
    double brainRadius = brain.meanRadius();

    // ---- tumour: oedema around a core; HGG cores are an enhancing shell around necrosis
    boolean hgg = grade == Grade.HGG;
    double side = r.nextBoolean() ? 1 : -1;
    double tx = bx + side * u(r, 0.12, 0.45) * ax;
    double ty = by + u(r, -0.40, 0.40) * ay;
    double tz = bz + u(r, -0.35, 0.35) * az;
    double oedemaRadius = Math.max(3, brainRadius * (hgg ? u(r, 0.22, 0.45) : u(r, 0.18, 0.40)));
    Blob oedema = new Blob(tx, ty, tz, oedemaRadius * u(r, 0.8, 1.2), oedemaRadius * u(r, 0.8, 1.2),
        oedemaRadius * u(r, 0.8, 1.2), 0.25, r);
    double coreRadius = Math.max(2, oedemaRadius * (hgg ? u(r, 0.50, 0.75) : u(r, 0.40, 0.75)));
    Blob core = new Blob(tx + u(r, -0.15, 0.15) * oedemaRadius, ty + u(r, -0.15, 0.15) * oedemaRadius,
        tz + u(r, -0.15, 0.15) * oedemaRadius, coreRadius * u(r, 0.85, 1.15), coreRadius * u(r, 0.85, 1.15),
        coreRadius * u(r, 0.85, 1.15), 0.12, r);
    double rimVoxels = r.nextDouble() < 0.25 ? u(r, 0.8, 1.2) : u(r, 1.5, 3.5);
    // necrosis: the core's inner part, at least 45 % of its radius (a thick rim cannot fill a small core)
    double necrosisEdge = Math.max(0.45, 1 - rimVoxels / core.meanRadius());
    float enhancement = hgg ? (float) (ENHANCEMENT * (r.nextDouble() < 0.25 ? u(r, 0.15, 0.35) : u(r, 0.6, 1.0))) : 0f;
    // some LGG: slight T1ce brightening in part of the core, without any enhancing label
    Blob lggPatch = null;
    float lggBrightening = 0;
    if (!hgg && r.nextDouble() < 1.0 / 3) {
      lggPatch = new Blob(core.cx() + u(r, -0.3, 0.3) * coreRadius, core.cy() + u(r, -0.3, 0.3) * coreRadius,
          core.cz(), coreRadius * 0.6, coreRadius * 0.6, coreRadius * 0.6, 0.2, r);
      lggBrightening = (float) (ENHANCEMENT * u(r, 0.08, 0.2));
    }

    // ---- acquisition: per-scan scale, bias field, shared texture, noise
    double[] scale = new double[MODALITIES];
    double[][] bias = new double[MODALITIES][];
    for (int m = 0; m < MODALITIES; m++) {
      scale[m] = u(r, 0.8, 1.25);
      bias[m] = new double[] {u(r, -0.15, 0.15), u(r, -0.15, 0.15), u(r, -0.15, 0.15), u(r, -0.1, 0.1),
          u(r, -0.1, 0.1), u(r, -0.1, 0.1)};
    }
    Texture texture = new Texture(r, nx, ny, nz);
    GaussianNoise gauss = new GaussianNoise(r.nextLong());
    double noise = 0.03;

    int n = nx * ny * nz;
    float[][] images = new float[MODALITIES][n];
    float[] seg = new float[n];
    int label1 = 0;
    int label2 = 0;
    int label4 = 0;
    float[] healthy = new float[MODALITIES];
    float[] value = new float[MODALITIES];
    for (int z = 0, i = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          double dBrain = brain.distance(x, y, z);
          if (dBrain > 1) {
            continue; // skull-stripped: background stays exactly 0
          }
          // healthy tissue: white matter inside, grey matter cortex, CSF in ventricles and at the surface
          double wWhite = weight(whiteMatter.distance(x, y, z), whiteMatter.meanRadius());
          double wCsf = Math.max(weight(ventricles[0].distance(x, y, z), ventricles[0].meanRadius()),
              weight(ventricles[1].distance(x, y, z), ventricles[1].meanRadius()));
          wCsf = Math.max(wCsf, clamp01((dBrain - 0.94) / 0.06) * 0.6);
          double dOedema = oedema.distance(x, y, z);
          double dCore = core.distance(x, y, z);
          double wOedema = weight(dOedema, oedema.meanRadius());
          double wCore = weight(dCore, core.meanRadius());
          double wNecrosis = hgg ? weight(dCore / necrosisEdge, core.meanRadius() * necrosisEdge) : 0;
          double wPatch = lggPatch == null ? 0 : weight(lggPatch.distance(x, y, z), lggPatch.meanRadius());
          for (int m = 0; m < MODALITIES; m++) {
            double h = Tissue.GREY_MATTER.mean(m) + wWhite * (Tissue.WHITE_MATTER.mean(m) - Tissue.GREY_MATTER.mean(m));
            healthy[m] = (float) (h + wCsf * (Tissue.CSF.mean(m) - h));
            double coreValue;
            if (hgg) {
              double rim = Tissue.ENHANCING.mean(m) + (m == T1CE ? enhancement : 0);
              coreValue = rim + wNecrosis * (Tissue.NECROSIS.mean(m) - rim);
            } else {
              coreValue = Tissue.NON_ENHANCING.mean(m) + (m == T1CE ? wPatch * lggBrightening : 0);
            }
            double lesion = Tissue.OEDEMA.mean(m) + wCore * (coreValue - Tissue.OEDEMA.mean(m));
            value[m] = (float) (healthy[m] + wOedema * (lesion - healthy[m]));
          }
          double tex = texture.at(x, y, z);
          double rx = (x - bx) / nx;
          double ry = (y - by) / ny;
          double rz = (z - bz) / nz;
          for (int m = 0; m < MODALITIES; m++) {
            double[] c = bias[m];
            double field = 1 + c[0] * rx + c[1] * ry + c[2] * rz + c[3] * rx * rx + c[4] * ry * ry + c[5] * rz * rz;
            double v = scale[m] * (value[m] * tex * field + noise * Tissue.WHITE_MATTER.mean(m) * gauss.next());
            // inside the brain stays non-zero, so "brain = voxels > 0" holds as in BraTS
            images[m][i] = (float) Math.max(1, Math.min(Short.MAX_VALUE, Math.rint(v)));
          }
          // labels: hard thresholds of the same compartments
          if (dCore <= 1) {
            if (hgg && dCore > necrosisEdge) {
              seg[i] = 4;
              label4++;
            } else {
              seg[i] = 1;
              label1++;
            }
          } else if (dOedema <= 1) {
            seg[i] = 2;
            label2++;
          }
        }
      }
    }
    return new Phantom(images, seg, label1, label2, label4);
  }

  /**
   * Low-amplitude tissue texture: a sum of three plane waves of random direction and 6 to 16 voxel
   * wavelength. cos(a + b + c) is expanded into per-axis cosines and sines, tabulated once per scan.
   */
  private static final class Texture {
    private static final double AMPLITUDE = 0.015;
    private final double[][][] cos = new double[3][3][];
    private final double[][][] sin = new double[3][3][];

    Texture(Random r, int nx, int ny, int nz) {
      int[] n = {nx, ny, nz};
      for (int w = 0; w < 3; w++) {
        double k = 2 * Math.PI / u(r, 6, 16);
        double[] dir = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        double norm = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]) + 1e-12;
        double phase = r.nextDouble() * 2 * Math.PI;
        for (int a = 0; a < 3; a++) {
          cos[w][a] = new double[n[a]];
          sin[w][a] = new double[n[a]];
          for (int i = 0; i < n[a]; i++) {
            double angle = k * dir[a] / norm * i + (a == 0 ? phase : 0);
            cos[w][a][i] = Math.cos(angle);
            sin[w][a][i] = Math.sin(angle);
          }
        }
      }
    }

    double at(int x, int y, int z) {
      double t = 1;
      for (int w = 0; w < 3; w++) {
        double ca = cos[w][0][x];
        double sa = sin[w][0][x];
        double cb = cos[w][1][y];
        double sb = sin[w][1][y];
        double cc = cos[w][2][z];
        double sc = sin[w][2][z];
        t += AMPLITUDE * (ca * cb * cc - ca * sb * sc - sa * cb * sc - sa * sb * cc);
      }
      return t;
    }
  }

  /** Membership in a blob with a soft edge about SOFTNESS voxels wide (1 deep inside, 0 far outside). */
  private static double weight(double distance, double radiusVoxels) {
    double t = (distance - 1) * radiusVoxels / SOFTNESS;
    if (t > 12) {
      return 0;
    }
    if (t < -12) {
      return 1;
    }
    return 1 / (1 + Math.exp(t));
  }

  private static double clamp01(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static double u(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }
}
