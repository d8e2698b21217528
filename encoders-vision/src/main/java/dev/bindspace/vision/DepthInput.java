package dev.bindspace.vision;

import dev.bindspace.vision.internal.RawGreyDecoder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A depth map for the {@code DEPTH} encoder: metres, raw 16-bit samples with a scale (a PNG or TIFF
 * from a depth camera), or a ready disparity map. Everything except a ready disparity map is turned
 * into disparity with a {@link DepthCamera} (see {@link DepthPreprocessor}). Immutable.
 *
 * <pre>{@code
 * DepthInput d = DepthInput.raw16(Path.of("nyu_0001.png"), 1000.0, Raw16Layout.PLAIN, DepthCamera.KINECT_NYU);
 * Embedding e = DepthEncoder.of(model).embed(d);
 * }</pre>
 */
public final class DepthInput {

  /** How raw 16-bit depth samples are stored. */
  public enum Raw16Layout {
    /** The sample is the depth in units ({@code depth_m = v / unitsPerMetre}). */
    PLAIN,
    /**
     * SUN RGB-D's {@code depth_bfx}/{@code depth} PNGs: the millimetre value rotated left by 3 bits;
     * decoded as {@code (v >> 3) | (v << 13)} on 16 bits (the toolbox's {@code read3dPoints.m}).
     */
    SUN_RGBD
  }

  /** The form of the input. */
  public enum Kind {
    /** Depth in metres, row-major floats. */
    METRES,
    /** A single-channel 8/16-bit PNG or TIFF file of raw samples. */
    RAW16_FILE,
    /** The bytes of such a file. */
    RAW16_BYTES,
    /** A disparity map, used as is. */
    DISPARITY
  }

  private final Kind kind;
  private final int width;
  private final int height;
  private final float[] values;
  private final Path path;
  private final byte[] data;
  private final String name;
  private final double unitsPerMetre;
  private final Raw16Layout layout;
  private final DepthCamera camera;

  private DepthInput(Kind kind, int width, int height, float[] values, Path path, byte[] data, String name,
      double unitsPerMetre, Raw16Layout layout, DepthCamera camera) {
    this.kind = kind;
    this.width = width;
    this.height = height;
    this.values = values;
    this.path = path;
    this.data = data;
    this.name = name;
    this.unitsPerMetre = unitsPerMetre;
    this.layout = layout;
    this.camera = camera;
  }

  /** Depth in metres (row-major, copied). */
  public static DepthInput metres(int width, int height, float[] metres, DepthCamera camera) {
    checkMap(width, height, metres);
    return new DepthInput(Kind.METRES, width, height, metres.clone(), null, null,
        "depth " + width + "x" + height, 1, Raw16Layout.PLAIN, Objects.requireNonNull(camera, "camera"));
  }

  /** A ready disparity map (row-major, copied); no camera conversion. */
  public static DepthInput disparity(int width, int height, float[] disparity) {
    checkMap(width, height, disparity);
    return new DepthInput(Kind.DISPARITY, width, height, disparity.clone(), null, null,
        "disparity " + width + "x" + height, 1, Raw16Layout.PLAIN, null);
  }

  /**
   * A single-channel 8/16-bit PNG or TIFF of raw depth samples; {@code depth_m = sample / unitsPerMetre}
   * (1000 for millimetres), computed in float32 as numpy would.
   */
  public static DepthInput raw16(Path file, double unitsPerMetre, Raw16Layout layout, DepthCamera camera) {
    Objects.requireNonNull(file, "file");
    return new DepthInput(Kind.RAW16_FILE, 0, 0, null, file, null, file.toString(), checkUnits(unitsPerMetre),
        Objects.requireNonNull(layout, "layout"), Objects.requireNonNull(camera, "camera"));
  }

  /** Like {@link #raw16(Path, double, Raw16Layout, DepthCamera)} for the bytes of such a file (copied). */
  public static DepthInput raw16(byte[] data, String name, double unitsPerMetre, Raw16Layout layout,
      DepthCamera camera) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    return new DepthInput(Kind.RAW16_BYTES, 0, 0, null, null, data.clone(), name, checkUnits(unitsPerMetre),
        Objects.requireNonNull(layout, "layout"), Objects.requireNonNull(camera, "camera"));
  }

  private static double checkUnits(double u) {
    if (!(Double.isFinite(u) && u > 0)) {
      throw new IllegalArgumentException("unitsPerMetre must be a positive finite number, found " + u);
    }
    return u;
  }

  private static void checkMap(int width, int height, float[] v) {
    Objects.requireNonNull(v, "values");
    if (width < 1 || height < 1 || (long) width * height != v.length) {
      throw new IllegalArgumentException("expected " + (long) width * height + " values for " + width + "x" + height
          + ", found " + v.length);
    }
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /**
   * The disparity map: {@code {width, height}} into {@code size}, returns the row-major values. Depth is
   * converted as Omnivore's {@code convert_depth_to_disparity} does in float32:
   * {@code depth_m = float32(sample) / float32(unitsPerMetre)}, clipped to the camera's range, then
   * {@code float32(baseline × focal) / depth_m}.
   */
  float[] disparity(ImageDecodeOptions options, int[] size) {
    float[] depth;
    int w;
    int h;
    switch (kind) {
      case DISPARITY -> {
        size[0] = width;
        size[1] = height;
        return values.clone();
      }
      case METRES -> {
        depth = values;
        w = width;
        h = height;
      }
      default -> {
        byte[] bytes = kind == Kind.RAW16_FILE ? ImageDecoder.read(path) : data;
        RawGreyDecoder.Samples s = RawGreyDecoder.decode(bytes, name, options);
        w = s.width();
        h = s.height();
        depth = new float[w * h];
        float units = (float) unitsPerMetre;
        int[] v = s.values();
        for (int i = 0; i < depth.length; i++) {
          int raw = layout == Raw16Layout.SUN_RGBD ? ((v[i] >> 3) | (v[i] << 13)) & 0xFFFF : v[i];
          depth[i] = raw / units;
        }
      }
    }
    float lo = (float) camera.minDepthMetres();
    float hi = (float) camera.maxDepthMetres();
    float bf = (float) (camera.baselineMetres() * camera.focalLengthPixels());
    float[] out = new float[depth.length];
    for (int i = 0; i < out.length; i++) {
      float d = depth[i];
      d = d < lo ? lo : (d > hi ? hi : d); // numpy clip; NaN stays NaN
      out[i] = bf / d;
    }
    size[0] = w;
    size[1] = h;
    return out;
  }

  @Override
  public String toString() {
    return "DepthInput[" + kind + ", " + name + "]";
  }
}
