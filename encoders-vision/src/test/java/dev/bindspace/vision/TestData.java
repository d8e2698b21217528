package dev.bindspace.vision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates test data: the shared folder beside the repository ({@code ../shared} from the repo root). */
public final class TestData {
  /** The ImageBind preprocessing goldens inside the shared folder. */
  public static final String GOLDENS = "goldens/imagebind-preprocessing";

  private TestData() {
  }

  /**
   * {@code shared/<relative>} in the first ancestor of the working directory that has it; the system
   * property {@code bindspace.shared} overrides the search.
   */
  public static Optional<Path> shared(String relative) {
    String override = System.getProperty("bindspace.shared");
    if (override != null) {
      Path p = Path.of(override).resolve(relative);
      return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve(relative);
      if (Files.exists(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@link #shared}, or skips the calling test with a message saying what is missing. */
  public static Path sharedOrSkip(String relative) {
    Optional<Path> p = shared(relative);
    if (p.isEmpty()) {
      String why = "SKIPPED: ../shared/" + relative + " not found (searched the ancestors of "
          + Path.of("").toAbsolutePath() + "; set -Dbindspace.shared=DIR to point at it)";
      System.out.println(why);
      assumeTrue(false, why);
    }
    return p.get();
  }

  /** The ImageBind image profile (3 channels, 224, Pillow bicubic, centre crop, CLIP mean/std). */
  public static dev.bindspace.onnx.Preprocessing.Image imageBindProfile(int channels, int size) {
    return new dev.bindspace.onnx.Preprocessing.Image(channels, size,
        dev.bindspace.onnx.Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL,
        dev.bindspace.onnx.Preprocessing.CropMode.CENTER,
        channels == 3 ? java.util.List.of(0.48145466, 0.4578275, 0.40821073) : java.util.List.of(0.48145466),
        channels == 3 ? java.util.List.of(0.26862954, 0.26130258, 0.27577711) : java.util.List.of(0.26862954));
  }
}
