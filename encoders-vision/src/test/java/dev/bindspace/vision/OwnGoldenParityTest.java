package dev.bindspace.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.vision.internal.Pixels;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the committed goldens of {@code tools/goldens/vision/make_vision_goldens.py} (Pillow 9.4,
 * torchvision 0.14): BMP/WebP/TIFF/16-bit PNG/GIF/ICC-JPEG decoding, a 112-pixel profile, the thermal
 * (luma) path, the EXIF option and the depth disparity path.
 */
class OwnGoldenParityTest {
  static final Path DIR = dir();

  static Path dir() {
    try {
      return Path.of(OwnGoldenParityTest.class.getResource("/vision-goldens/manifest.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String> images() throws IOException {
    try (Stream<Path> s = Files.list(DIR.resolve("inputs"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("b")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void should_decode_like_pillow(String name) {
    Path file = DIR.resolve("inputs").resolve(name);
    RgbImage img = ImageDecoder.defaults().decode(file);
    Npy want = Npy.read(DIR.resolve(name + ".decoded_rgb.npy"));
    assertThat(new int[] {img.height(), img.width(), 3}).containsExactly(want.shape);
    int diff = SharedGoldenParityTest.maxDiff(img.toBytes(), want.bytes());
    Pixels p = ImageDecoder.defaults().decodePixels(file);
    int lumaDiff = SharedGoldenParityTest.maxDiff(p.luma(), Npy.read(DIR.resolve(name + ".luma.npy")).bytes());
    System.out.printf("%-40s decoded max|diff| %d, luma %d%n", name, diff, lumaDiff);
    assertThat(diff).as("decoded RGB max abs diff").isZero();
    assertThat(lumaDiff).as("convert('L') max abs diff").isZero();
  }

  @Test
  void should_apply_exif_orientation_only_when_asked() {
    Path file = DIR.resolve("inputs/b09_jpeg_exif8_80x60.jpg");
    RgbImage stored = ImageDecoder.defaults().decode(file);
    assertThat(stored.width()).isEqualTo(80);
    RgbImage turned = ImageDecoder.of(ImageDecodeOptions.builder()
        .exifOrientation(ImageDecodeOptions.ExifOrientation.APPLY).build()).decode(file);
    Npy want = Npy.read(DIR.resolve("b09_jpeg_exif8_80x60.jpg.exif_transposed_rgb.npy"));
    assertThat(new int[] {turned.height(), turned.width(), 3}).containsExactly(want.shape);
    assertThat(SharedGoldenParityTest.maxDiff(turned.toBytes(), want.bytes())).isZero();
  }

  @Test
  void should_match_a_112_pixel_profile() {
    ImagePreprocessor pre = ImagePreprocessor.of(TestData.imageBindProfile(3, 112));
    for (String name : new String[] {"b01_bmp24_80x60.bmp", "b08_png_rgb16_80x60.png"}) {
      PreprocessedImage out = pre.preprocess(ImageDecoder.defaults().decode(DIR.resolve("inputs").resolve(name)));
      Npy resized = Npy.read(DIR.resolve("s112_" + name + ".resized_rgb.npy"));
      assertThat(new int[] {out.resizedHeight(), out.resizedWidth(), 3}).containsExactly(resized.shape);
      assertThat(SharedGoldenParityTest.maxDiff(out.resized(), resized.bytes())).as(name).isZero();
      if (name.startsWith("b01")) {
        float[] want = Npy.read(DIR.resolve("s112_" + name + ".input.npy")).floats();
        assertThat(SharedGoldenParityTest.maxDiff(out.tensor(), want)).isLessThanOrEqualTo(1e-6);
      }
    }
  }

  @Test
  void should_match_the_thermal_luma_path() {
    ImagePreprocessor pre = ImagePreprocessor.of(TestData.imageBindProfile(1, 112));
    Path file = DIR.resolve("inputs/b01_bmp24_80x60.bmp");
    float[] got = pre.preprocess(ImageDecoder.defaults().decode(file)).tensor();
    float[] want = Npy.read(DIR.resolve("thermal112_b01_bmp24_80x60.bmp.input.npy")).floats();
    double d = SharedGoldenParityTest.maxDiff(got, want);
    System.out.printf("thermal 112: max|diff| %.3g%n", d);
    assertThat(d).isLessThanOrEqualTo(1e-6);
  }

  @Test
  void should_match_the_depth_disparity_path() {
    DepthInput in = DepthInput.raw16(DIR.resolve("inputs/d01_depth_mm_80x60.png"), 1000.0,
        DepthInput.Raw16Layout.PLAIN, DepthCamera.KINECT_NYU);
    float[] got = DepthPreprocessor.of(112, 0f, 1f).tensor(in);
    float[] want = Npy.read(DIR.resolve("depth_d01_depth_mm_80x60.png.input.npy")).floats();
    double maxRel = 0;
    for (int i = 0; i < want.length; i++) {
      maxRel = Math.max(maxRel, Math.abs(got[i] - want[i]) / Math.max(1.0, Math.abs(want[i])));
    }
    System.out.printf("depth 112: max rel diff %.3g (values up to %.1f)%n", maxRel, max(want));
    assertThat(maxRel).isLessThanOrEqualTo(1e-6);
  }

  private static float max(float[] a) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
