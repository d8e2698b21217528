package dev.bindspace.vision;

import dev.bindspace.vision.internal.PillowResample;
import dev.bindspace.vision.internal.TorchvisionGeometry;
import java.util.Objects;

/**
 * Disparity map → depth tensor {@code (1, size, size)}: Pillow bicubic resize in 32-bit float (mode
 * {@code F}, antialiased, short side to {@code size}, long side {@code int(size·long/short)}), centre crop
 * (offsets half to even), then {@code (d − mean) / std} in float32. ImageBind defines no depth
 * normalisation, so the depth encoder over a {@code tensor} profile uses mean 0, std 1 (none); an
 * {@code image} profile with one channel supplies its own size, mean and std. Thread-safe.
 *
 * <pre>{@code
 * float[] chw = DepthPreprocessor.of(224, 0f, 1f).tensor(DepthInput.metres(w, h, metres, DepthCamera.KINECT_NYU));
 * }</pre>
 */
public final class DepthPreprocessor {
  private final int size;
  private final float mean;
  private final float std;
  private final ImageDecodeOptions options;

  private DepthPreprocessor(int size, float mean, float std, ImageDecodeOptions options) {
    this.size = size;
    this.mean = mean;
    this.std = std;
    this.options = options;
  }

  public static DepthPreprocessor of(int size, float mean, float std) {
    return of(size, mean, std, ImageDecodeOptions.defaults());
  }

  public static DepthPreprocessor of(int size, float mean, float std, ImageDecodeOptions options) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, found " + size);
    }
    if (!(Float.isFinite(std) && std > 0) || !Float.isFinite(mean)) {
      throw new IllegalArgumentException("mean must be finite and std positive, found " + mean + ", " + std);
    }
    return new DepthPreprocessor(size, mean, std, Objects.requireNonNull(options, "options"));
  }

  public int size() {
    return size;
  }

  /** The CHW tensor of {@code input}, {@code size × size} values. */
  public float[] tensor(DepthInput input) {
    int[] wh = new int[2];
    float[] disparity = input.disparity(options, wh);
    return tensor(disparity, wh[0], wh[1]);
  }

  /** The CHW tensor of a disparity map. */
  public float[] tensor(float[] disparity, int width, int height) {
    int[] r = TorchvisionGeometry.shortSideSize(width, height, size);
    float[] resized = PillowResample.resizeFloat(disparity, width, height, r[0], r[1]);
    int top = TorchvisionGeometry.centerOffset(r[1], size);
    int left = TorchvisionGeometry.centerOffset(r[0], size);
    float[] out = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = (resized[(top + y) * r[0] + left + x] - mean) / std;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "DepthPreprocessor[size=" + size + ", mean=" + mean + ", std=" + std + "]";
  }
}
