package dev.bindspace.vision.internal;

/**
 * torchvision 0.14's size arithmetic for {@code Resize(int)} and {@code CenterCrop(int)}, and the
 * {@code ToTensor} + {@code Normalize} arithmetic in float32, fused with the crop.
 */
public final class TorchvisionGeometry {
  private TorchvisionGeometry() {
  }

  /**
   * Output {@code {width, height}} of {@code Resize(size)}: the short side becomes {@code size}, the long
   * side {@code int(size * long / short)} (double division, truncated); a square keeps both at size.
   * Equal to the input when the short side already is {@code size} (torchvision then returns the image
   * unchanged).
   */
  public static int[] shortSideSize(int width, int height, int size) {
    if (width <= height) {
      return new int[] {size, (int) ((double) ((long) size * height) / width)};
    }
    return new int[] {(int) ((double) ((long) size * width) / height), size};
  }

  /** {@code CenterCrop} offset for one axis: {@code int(round((dim - size) / 2.0))}, half to even. */
  public static int centerOffset(int dim, int size) {
    return (int) Math.rint((dim - size) / 2.0);
  }

  /**
   * Crops {@code size × size} at ({@code left}, {@code top}) out of an interleaved 8-bit image of
   * {@code channels} channels and writes {@code (v / 255 - mean[c]) / std[c]} planar (CHW) into
   * {@code out} from {@code offset}, each step in float32 as torch does ({@code ToTensor}: float(v) / 255;
   * {@code Normalize}: {@code sub_(mean).div_(std)} with float32 mean and std).
   */
  public static void cropNormalize(byte[] src, int width, int channels, int left, int top, int size,
      float[] mean, float[] std, float[] out, int offset) {
    int plane = size * size;
    for (int c = 0; c < channels; c++) {
      float m = mean[c];
      float s = std[c];
      int o = offset + c * plane;
      for (int y = 0; y < size; y++) {
        int p = ((top + y) * width + left) * channels + c;
        for (int x = 0; x < size; x++, p += channels) {
          float v = (src[p] & 0xff) / 255f;
          out[o++] = (v - m) / s;
        }
      }
    }
  }
}
