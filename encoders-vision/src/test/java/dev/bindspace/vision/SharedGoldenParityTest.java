package dev.bindspace.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the outputs of ImageBind's official {@code load_and_transform_vision_data} (Pillow 9.4,
 * torchvision 0.14) in {@code ../shared/goldens/imagebind-preprocessing}: decoded RGB, resized RGB and
 * the final tensor per image. Skips when the shared folder is absent.
 */
class SharedGoldenParityTest {

  static Stream<String> images() throws IOException {
    var dir = TestData.shared(TestData.GOLDENS + "/inputs/images");
    if (dir.isEmpty()) {
      return Stream.of("(shared goldens absent)");
    }
    try (Stream<Path> s = Files.list(dir.get())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void should_match_imagebind_decode_resize_and_tensor(String file) {
    Path root = TestData.sharedOrSkip(TestData.GOLDENS);
    String stem = file.substring(0, file.lastIndexOf('.'));
    Path vision = root.resolve("vision");

    RgbImage img = ImageDecoder.defaults().decode(root.resolve("inputs/images").resolve(file));
    Npy decoded = Npy.read(vision.resolve(stem + ".decoded_rgb.npy"));
    assertThat(new int[] {img.height(), img.width(), 3}).containsExactly(decoded.shape);
    int decodedDiff = maxDiff(img.toBytes(), decoded.bytes());

    ImagePreprocessor pre = ImagePreprocessor.of(TestData.imageBindProfile(3, 224));
    // resize/crop/tensor are checked from the golden decoded pixels, so decoder and resampler are judged apart
    PreprocessedImage fromGolden = pre.preprocess(RgbImage.of(decoded.shape[1], decoded.shape[0], decoded.bytes()));
    Npy resized = Npy.read(vision.resolve(stem + ".resized_rgb.npy"));
    assertThat(new int[] {fromGolden.resizedHeight(), fromGolden.resizedWidth(), 3}).containsExactly(resized.shape);
    int resizeDiff = maxDiff(fromGolden.resized(), resized.bytes());
    float[] want = Npy.read(vision.resolve(stem + ".input.npy")).floats();
    double tensorDiff = maxDiff(fromGolden.tensor(), want);

    PreprocessedImage ours = pre.preprocess(img);
    double endToEnd = maxDiff(ours.tensor(), want);
    System.out.printf("%-45s decoded max|diff| %d, resized %d, tensor %.3g (from golden pixels), end-to-end %.3g%n",
        file, decodedDiff, resizeDiff, tensorDiff, endToEnd);

    assertThat(decodedDiff).as("decoded RGB max abs diff").isLessThanOrEqualTo(file.endsWith(".jpg") ? 2 : 0);
    assertThat(resizeDiff).as("resized RGB max abs diff").isZero();
    assertThat(tensorDiff).as("tensor max abs diff").isLessThanOrEqualTo(1e-6);
    if (decodedDiff == 0) {
      assertThat(endToEnd).isLessThanOrEqualTo(1e-6);
    }
  }

  static int maxDiff(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    int m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
    }
    return m;
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
