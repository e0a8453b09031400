package org.gliomabench.core.synth;

import java.util.Random;

/**
 * A lumpy ellipsoid: a centre, three semi-axes and a smooth angular perturbation of the radius, so that
 * tumour compartments are irregular rather than spheres. {@link #distance} is 1 on the surface, below 1
 * inside, and grows roughly linearly outside.
 */
final class Blob {
  private final double cx;
  private final double cy;
  private final double cz;
  private final double ax;
  private final double ay;
  private final double az;
  private final double lumpiness;
  private final double[][] waves; // unit direction (3) + phase, per wave

  Blob(double cx, double cy, double cz, double ax, double ay, double az, double lumpiness, Random r) {
    this.cx = cx;
    this.cy = cy;
    this.cz = cz;
    this.ax = ax;
    this.ay = ay;
    this.az = az;
    this.lumpiness = lumpiness;
    this.waves = new double[3][];
    for (int i = 0; i < waves.length; i++) {
      double ux = r.nextGaussian();
      double uy = r.nextGaussian();
      double uz = r.nextGaussian();
      double n = Math.sqrt(ux * ux + uy * uy + uz * uz) + 1e-12;
      waves[i] = new double[] {ux / n, uy / n, uz / n, r.nextDouble() * 2 * Math.PI};
    }
  }

  /** Scaled distance of voxel (x, y, z) from the centre: 1 on the (lumpy) surface. */
  double distance(double x, double y, double z) {
    double dx = (x - cx) / ax;
    double dy = (y - cy) / ay;
    double dz = (z - cz) / az;
    double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    // Far away the bumps cannot bring a voxel inside (d / (1 + lumpiness) > 1): skip the cosines.
    if (lumpiness == 0 || d < 1e-9 || d > 3) {
      return d;
    }
    double bump = 0;
    for (double[] w : waves) {
      bump += Math.cos(2.5 * (w[0] * dx + w[1] * dy + w[2] * dz) / d + w[3]);
    }
    return d / (1 + lumpiness * bump / waves.length);
  }

  /** The mean semi-axis in voxels: converts a thickness in voxels into scaled distance. */
  double meanRadius() {
    return (ax + ay + az) / 3;
  }

  double cx() {
    return cx;
  }

  double cy() {
    return cy;
  }

  double cz() {
    return cz;
  }
}
