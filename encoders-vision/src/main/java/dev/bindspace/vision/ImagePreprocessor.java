package dev.bindspace.vision;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.internal.PillowResample;
import dev.bindspace.vision.internal.Pixels;
import dev.bindspace.vision.internal.TorchvisionGeometry;
import java.util.Objects;

/**
 * ImageBind's still-image transform with every constant taken from a bundle's {@link Preprocessing.Image}
 * profile: {@code Resize(size, BICUBIC)} (Pillow-exact, short side to {@code size}, long side
 * {@code int(size·long/short)}, skipped when the short side already is {@code size}),
 * {@code CenterCrop(size)} (offsets rounded half to even), {@code ToTensor} and {@code Normalize(mean, std)}
 * in float32. With {@code channels = 1} the image is first converted to Pillow's {@code L} (ITU-R 601-2
 * luma); with 3 it is RGB. Needs no ONNX Runtime; thread-safe.
 *
 * <pre>{@code
 * ImagePreprocessor pre = ImagePreprocessor.of(new Preprocessing.Image(3, 224,
 *     ResizeMode.SHORTER_SIDE_BICUBIC_PIL, CropMode.CENTER, List.of(0.48145466, 0.4578275, 0.40821073),
 *     List.of(0.26862954, 0.26130258, 0.27577711)));
 * float[] chw = pre.preprocess(ImageDecoder.defaults().decode(Path.of("cat.png"))).tensor();
 * }</pre>
 */
public final class ImagePreprocessor {
  private final Preprocessing.Image profile;
  private final float[] mean;
  private final float[] std;

  private ImagePreprocessor(Preprocessing.Image profile) {
    this.profile = profile;
    this.mean = new float[profile.channels()];
    this.std = new float[profile.channels()];
    for (int c = 0; c < profile.channels(); c++) {
      mean[c] = profile.mean().get(c).floatValue();
      std[c] = profile.std().get(c).floatValue();
    }
  }

  /**
   * A preprocessor for {@code profile}.
   *
   * @throws IllegalArgumentException if the profile asks for something other than 1 or 3 channels, a
   *     Pillow-bicubic short-side resize and one centre crop (the bilinear modes belong to video)
   */
  public static ImagePreprocessor of(Preprocessing.Image profile) {
    Objects.requireNonNull(profile, "profile");
    if (!supports(profile)) {
      throw new IllegalArgumentException("still images support channels 1 or 3, resize "
          + Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL + " and crop " + Preprocessing.CropMode.CENTER
          + "; found " + profile);
    }
    return new ImagePreprocessor(profile);
  }

  /** Whether {@link #of} accepts {@code profile}. */
  public static boolean supports(Preprocessing.Image profile) {
    return (profile.channels() == 1 || profile.channels() == 3)
        && profile.resize() == Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL
        && profile.crop() == Preprocessing.CropMode.CENTER;
  }

  public Preprocessing.Image profile() {
    return profile;
  }

  /** The tensor shape without batch axis, {@code {channels, size, size}}. */
  public long[] shape() {
    return new long[] {profile.channels(), profile.size(), profile.size()};
  }

  /** Resizes, crops and normalises {@code image}. */
  public PreprocessedImage preprocess(RgbImage image) {
    Objects.requireNonNull(image, "image");
    return run(image.width(), image.height(), 3, image.bytes());
  }

  /**
   * The CHW tensor of {@code image} only ({@code channels × size × size} floats), without keeping the
   * resized image: only the pixels inside the crop are resampled. Equal to
   * {@code preprocess(image).tensor()}, with less work; the path the encoders take.
   */
  public float[] tensor(RgbImage image) {
    Objects.requireNonNull(image, "image");
    float[] out = new float[profile.channels() * profile.size() * profile.size()];
    return preprocessInto(new Pixels(image.width(), image.height(), 3, image.bytes()), out, 0);
  }

  /** Runs on decoded pixels (grey sources single-channel); for this module. */
  PreprocessedImage preprocess(Pixels p) {
    return run(p.width(), p.height(), p.channels(), p.data());
  }

  /** The tensor only, written into {@code out} from {@code offset}; returns {@code out}. For batching. */
  float[] preprocessInto(Pixels p, float[] out, int offset) {
    int channels = profile.channels();
    byte[] px = convert(p.width(), p.height(), p.channels(), p.data());
    int size = profile.size();
    int[] wh = TorchvisionGeometry.shortSideSize(p.width(), p.height(), size);
    int top = TorchvisionGeometry.centerOffset(wh[1], size);
    int left = TorchvisionGeometry.centerOffset(wh[0], size);
    // only the cropped window is resampled: the same values, a quarter less work on 4:3 images
    byte[] window = PillowResample.resize8Window(px, p.width(), p.height(), channels, wh[0], wh[1], left, top,
        size, size);
    TorchvisionGeometry.cropNormalize(window, size, channels, 0, 0, size, mean, std, out, offset);
    return out;
  }

  private byte[] convert(int w, int h, int srcChannels, byte[] data) {
    int channels = profile.channels();
    if (channels == srcChannels) {
      return data;
    }
    return channels == 1 ? Pixels.luma(data) : new Pixels(w, h, 1, data).rgb();
  }

  private record Stage(byte[] pixels, int w, int h, int top, int left) {
  }

  private Stage stage(int w, int h, int srcChannels, byte[] data) {
    int channels = profile.channels();
    byte[] px = convert(w, h, srcChannels, data);
    int size = profile.size();
    int[] wh = TorchvisionGeometry.shortSideSize(w, h, size);
    byte[] resized = PillowResample.resize8(px, w, h, channels, wh[0], wh[1]);
    int top = TorchvisionGeometry.centerOffset(wh[1], size);
    int left = TorchvisionGeometry.centerOffset(wh[0], size);
    return new Stage(resized, wh[0], wh[1], top, left);
  }

  private PreprocessedImage run(int w, int h, int srcChannels, byte[] data) {
    Stage s = stage(w, h, srcChannels, data);
    int size = profile.size();
    int channels = profile.channels();
    float[] t = new float[channels * size * size];
    TorchvisionGeometry.cropNormalize(s.pixels, s.w, channels, s.left, s.top, size, mean, std, t, 0);
    byte[] resized = s.pixels == data ? data.clone() : s.pixels;
    return new PreprocessedImage(channels, size, t, s.w, s.h, resized, s.top, s.left);
  }

  @Override
  public String toString() {
    return "ImagePreprocessor[" + profile + "]";
  }
}
