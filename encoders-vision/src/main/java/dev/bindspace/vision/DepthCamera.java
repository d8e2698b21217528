package dev.bindspace.vision;

/**
 * The stereo geometry that turns depth into disparity, {@code disparity = baseline × focal / depth},
 * with depth first clipped to [{@code minDepthMetres}, {@code maxDepthMetres}] (Omnivore/ImageBind's
 * SUN RGB-D recipe: 0.01 m to 50 m; the clip also turns missing depth, 0, into the maximum disparity).
 *
 * @param baselineMetres stereo baseline in metres (Kinect v1/v2: 0.075; RealSense, Xtion: 0.095)
 * @param focalLengthPixels focal length in pixels of the depth map's resolution
 */
public record DepthCamera(double baselineMetres, double focalLengthPixels, double minDepthMetres,
    double maxDepthMetres) {

  /** Kinect v1 as in NYU Depth v2: baseline 0.075 m, focal 518.857901 px, depth clipped to 0.01–50 m. */
  public static final DepthCamera KINECT_NYU = of(0.075, 518.857901);

  public DepthCamera {
    check("baselineMetres", baselineMetres);
    check("focalLengthPixels", focalLengthPixels);
    check("minDepthMetres", minDepthMetres);
    check("maxDepthMetres", maxDepthMetres);
    if (maxDepthMetres < minDepthMetres) {
      throw new IllegalArgumentException("maxDepthMetres " + maxDepthMetres + " is below minDepthMetres "
          + minDepthMetres);
    }
  }

  /** A camera with the default depth clip 0.01–50 m. */
  public static DepthCamera of(double baselineMetres, double focalLengthPixels) {
    return new DepthCamera(baselineMetres, focalLengthPixels, 0.01, 50.0);
  }

  /** The same camera with another depth clip (issue #134's SUN RGB-D recipe caps depth at 8 m). */
  public DepthCamera withDepthRange(double minDepthMetres, double maxDepthMetres) {
    return new DepthCamera(baselineMetres, focalLengthPixels, minDepthMetres, maxDepthMetres);
  }

  private static void check(String name, double v) {
    if (!(Double.isFinite(v) && v > 0)) {
      throw new IllegalArgumentException(name + " must be a positive finite number, found " + v);
    }
  }
}
