package dev.bindspace.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The quick start against a real ImageBind-Huge bundle that you exported yourself. ImageBind's
 * weights cannot ship with bindspace (4.8 GB, CC-BY-NC-SA-4.0), so convert the official checkpoint
 * once with {@code tools/imagebind-export/export.py} (see tools/imagebind-export/README.md), then
 * pass the bundle folder:
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests -Dexample=ImageBind \
 *     -Dexample.args="--model /path/to/imagebind-huge"
 * </pre>
 *
 * The same Java preprocessing then feeds ImageBind's graphs, so the matrices equal the Python
 * original's (bit-identical preprocessing on the shared goldens).
 */
public final class ImageBind {
  private ImageBind() {
  }

  public static void main(String[] args) {
    Path bundle = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--model")) {
        bundle = Path.of(args[i + 1]);
      }
    }
    if (bundle == null || !Files.exists(bundle)) {
      System.err.println("usage: ImageBind --model DIR|ZIP   (an ImageBind bundle; " + (bundle == null
          ? "none given" : bundle + " does not exist") + ")");
      System.err.println("Make one from the official checkpoint (imagebind_huge.pth) with:");
      System.err.println("  python3 tools/imagebind-export/export.py --checkpoint imagebind_huge.pth --out imagebind-huge");
      System.err.println("See tools/imagebind-export/README.md for requirements and time.");
      System.exit(2);
    }
    try (Media media = Media.open(args)) {
      QuickStart.run(media, System.out);
    }
  }
}
