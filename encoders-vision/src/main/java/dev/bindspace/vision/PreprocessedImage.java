package dev.bindspace.vision;

/**
 * The result of {@link ImagePreprocessor}: the model input tensor (float32, {@code (channels, size, size)},
 * CHW) and the intermediate 8-bit image after resizing (before the crop), with the crop offsets.
 * Immutable; arrays are copied out.
 */
public final class PreprocessedImage {
  private final int channels;
  private final int size;
  private final float[] tensor;
  private final int resizedWidth;
  private final int resizedHeight;
  private final byte[] resized;
  private final int cropTop;
  private final int cropLeft;

  PreprocessedImage(int channels, int size, float[] tensor, int resizedWidth, int resizedHeight, byte[] resized,
      int cropTop, int cropLeft) {
    this.channels = channels;
    this.size = size;
    this.tensor = tensor;
    this.resizedWidth = resizedWidth;
    this.resizedHeight = resizedHeight;
    this.resized = resized;
    this.cropTop = cropTop;
    this.cropLeft = cropLeft;
  }

  public int channels() {
    return channels;
  }

  public int size() {
    return size;
  }

  /** The tensor shape without batch axis: {@code {channels, size, size}}. */
  public long[] shape() {
    return new long[] {channels, size, size};
  }

  /** A copy of the CHW tensor. */
  public float[] tensor() {
    return tensor.clone();
  }

  /** The backing tensor, not copied; for this module. */
  float[] tensorArray() {
    return tensor;
  }

  public int resizedWidth() {
    return resizedWidth;
  }

  public int resizedHeight() {
    return resizedHeight;
  }

  /** A copy of the resized 8-bit image, interleaved HWC with {@link #channels()} channels. */
  public byte[] resized() {
    return resized.clone();
  }

  public int cropTop() {
    return cropTop;
  }

  public int cropLeft() {
    return cropLeft;
  }

  @Override
  public String toString() {
    return "PreprocessedImage[" + channels + "x" + size + "x" + size + ", resized " + resizedWidth + "x"
        + resizedHeight + ", crop top=" + cropTop + " left=" + cropLeft + "]";
  }
}
