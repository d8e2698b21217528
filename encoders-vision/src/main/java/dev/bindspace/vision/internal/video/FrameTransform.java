package dev.bindspace.vision.internal.video;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.internal.PillowResample;
import dev.bindspace.vision.internal.TorchvisionGeometry;

/**
 * The per-frame part of the video pipeline: {@code ÷255} → resize → {@code (x − mean) / std}, all in
 * float32, then the spatial crops. Processing frame by frame equals pytorchvideo's per-clip
 * {@code (C, T, H, W)} tensor operations, which never mix frames.
 *
 * <p>Resize ({@code shorter_side_bilinear}, pytorchvideo {@code ShortSideScale}): if
 * {@code w < h} the new size is {@code (floor(h / w · size), size)}, else
 * {@code (size, floor(w / h · size))} (square: {@code size × size}); {@code exact_bilinear}: both
 * sides to {@code size}. Both use {@code torch.nn.functional.interpolate(mode="bilinear",
 * align_corners=False)} without antialias: source coordinate {@code scale·(dst + 0.5) − 0.5} with
 * {@code scale = in / out} in float32, clamped at 0, index {@code floor}, neighbour
 * {@code min(i + 1, in − 1)}, weights {@code λ, 1 − λ}; the value is
 * {@code (x00·wx0 + x01·wx1)·wy0 + (x10·wx0 + x11·wx1)·wy1}, the order of ATen's CPU kernel.
 *
 * <p>{@code shorter_side_bicubic_pil}: each frame goes through the still-image pipeline instead
 * (torchvision {@code Resize(size, BICUBIC)} on the 8-bit frame = Pillow's antialiased bicubic, long
 * side {@code int(size · long / short)}, no resampling if the short side already is {@code size};
 * then {@code ToTensor}, {@code Normalize}); its centre crop is torchvision's {@code CenterCrop}
 * (offsets rounded half to even). ImageBind's video path never uses it; a bundle whose frames were
 * trained like images does.
 *
 * <p>Crops (ImageBind's {@code SpatialCrop}): offsets {@code ceil((dim − size) / 2)}; with three
 * crops, the first and last sit at the start and end of the longer side (top/bottom if
 * {@code h > w}, else left/right, so a square gives left/centre/right); one crop is the centre
 * one ({@code SpatialCrop(num_crops=1)}).
 */
public final class FrameTransform {
  private final int size;
  private final Preprocessing.ResizeMode resize;
  private final int crops;
  private final float[] mean = new float[3];
  private final float[] std = new float[3];

  /** A processed frame: 3 planes of {@code height × width} normalised values. */
  public record Planes(int width, int height, float[] values) {}

  public FrameTransform(Preprocessing.Video profile) {
    this.size = profile.size();
    this.resize = profile.resize();
    this.crops = profile.crop() == Preprocessing.CropMode.THREE_CROPS ? 3 : 1;
    if (crops != profile.cropsPerClip()) {
      throw new IllegalArgumentException("crop " + profile.crop() + " makes " + crops + " crop(s) per clip, but "
          + "crops_per_clip is " + profile.cropsPerClip());
    }
    for (int c = 0; c < 3; c++) {
      mean[c] = profile.mean().get(c).floatValue();
      std[c] = profile.std().get(c).floatValue();
    }
  }

  public int crops() {
    return crops;
  }

  public int size() {
    return size;
  }

  /** The resized size {@code {height, width}} of a {@code w × h} frame. */
  public int[] resizedSize(int w, int h) {
    if (resize == Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL) {
      int[] wh = TorchvisionGeometry.shortSideSize(w, h, size);
      return new int[] {wh[1], wh[0]};
    }
    if (resize == Preprocessing.ResizeMode.EXACT_BILINEAR) {
      return new int[] {size, size};
    }
    if (w < h) {
      return new int[] {(int) Math.floor(((double) h / w) * size), size};
    }
    return new int[] {size, (int) Math.floor(((double) w / h) * size)};
  }

  /** ÷255, resize, normalise one packed rgb24 frame. */
  public Planes apply(byte[] rgb, int w, int h) {
    int[] out = resizedSize(w, h);
    int oh = out[0];
    int ow = out[1];
    if (resize == Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL) {
      return bicubicPil(rgb, w, h, ow, oh);
    }
    // source planes in [0, 1], float32 as torch's clip / 255.0
    float[] src = new float[3 * w * h];
    int plane = w * h;
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      src[p] = (rgb[i] & 0xff) / 255f;
      src[plane + p] = (rgb[i + 1] & 0xff) / 255f;
      src[2 * plane + p] = (rgb[i + 2] & 0xff) / 255f;
    }
    int[] y0 = new int[oh];
    int[] y1 = new int[oh];
    float[] wy0 = new float[oh];
    float[] wy1 = new float[oh];
    weights(h, oh, y0, y1, wy0, wy1);
    int[] x0 = new int[ow];
    int[] x1 = new int[ow];
    float[] wx0 = new float[ow];
    float[] wx1 = new float[ow];
    weights(w, ow, x0, x1, wx0, wx1);
    float[] dst = new float[3 * oh * ow];
    for (int c = 0; c < 3; c++) {
      int sb = c * plane;
      int db = c * oh * ow;
      float m = mean[c];
      float s = std[c];
      for (int y = 0; y < oh; y++) {
        int r0 = sb + y0[y] * w;
        int r1 = sb + y1[y] * w;
        float a = wy0[y];
        float b = wy1[y];
        int d = db + y * ow;
        for (int x = 0; x < ow; x++) {
          float t0 = src[r0 + x0[x]] * wx0[x] + src[r0 + x1[x]] * wx1[x];
          float t1 = src[r1 + x0[x]] * wx0[x] + src[r1 + x1[x]] * wx1[x];
          float v = t0 * a + t1 * b;
          dst[d + x] = (v - m) / s;
        }
      }
    }
    return new Planes(ow, oh, dst);
  }

  private Planes bicubicPil(byte[] rgb, int w, int h, int ow, int oh) {
    byte[] r = PillowResample.resize8(rgb, w, h, 3, ow, oh);
    int plane = ow * oh;
    float[] dst = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = std[c];
      for (int p = 0, i = c; p < plane; p++, i += 3) {
        float v = (r[i] & 0xff) / 255f;
        dst[c * plane + p] = (v - m) / s;
      }
    }
    return new Planes(ow, oh, dst);
  }

  /** ATen's {@code compute_indices_weights_linear} for align_corners=False, no explicit scale. */
  static void weights(int in, int out, int[] i0, int[] i1, float[] w0, float[] w1) {
    float scale = (float) in / out;
    for (int d = 0; d < out; d++) {
      float real = scale * (d + 0.5f) - 0.5f;
      if (real < 0) {
        real = 0;
      }
      int idx = Math.min((int) Math.floor(real), in - 1);
      float lambda = Math.min(Math.max(real - idx, 0f), 1f);
      i0[d] = idx;
      i1[d] = idx + (idx < in - 1 ? 1 : 0);
      w1[d] = lambda;
      w0[d] = 1f - lambda;
    }
  }

  /**
   * Copies crop {@code crop} (0-based among {@link #crops()}) of a processed frame into
   * {@code dest}: channel {@code c} row {@code y} goes to
   * {@code dest[offset + c·cStride + y·size + x]}.
   */
  public void crop(Planes p, int crop, float[] dest, int offset, int cStride) {
    int h = p.height();
    int w = p.width();
    boolean torchvision = resize == Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL;
    int yo = torchvision ? TorchvisionGeometry.centerOffset(h, size) : (int) Math.ceil((h - size) / 2.0);
    int xo = torchvision ? TorchvisionGeometry.centerOffset(w, size) : (int) Math.ceil((w - size) / 2.0);
    int spatial = crops == 3 ? crop : 1;
    if (h > w) {
      yo = spatial == 0 ? 0 : spatial == 2 ? h - size : yo;
    } else {
      xo = spatial == 0 ? 0 : spatial == 2 ? w - size : xo;
    }
    float[] v = p.values();
    for (int c = 0; c < 3; c++) {
      int sb = c * h * w;
      for (int y = 0; y < size; y++) {
        System.arraycopy(v, sb + (yo + y) * w + xo, dest, offset + c * cStride + y * size, size);
      }
    }
  }
}
