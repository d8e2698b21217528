package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.ZeroShotClassifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Zero-shot classification with bindspace-mini: every sample image and sound against label prompts
 * ("a photo of a {label}" for images, "the sound of a {label}" for sounds), softmax with ImageBind's
 * temperature.
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests -Dexample=ZeroShot}
 */
public final class ZeroShot {
  static final List<String> LABELS = List.of("dog", "cow", "horse", "owl", "duck", "piano", "violin", "trumpet",
      "drum kit");

  private ZeroShot() {
  }

  public static void main(String[] args) {
    try (Media media = Media.open(args)) {
      run(media, System.out);
    }
  }

  /** Returns how many files got their own label first (for the test). */
  static int run(Media media, PrintStream out) {
    ZeroShotClassifier.Builder images = ZeroShotClassifier.builder();
    ZeroShotClassifier.Builder sounds = ZeroShotClassifier.builder();
    for (String l : LABELS) {
      images.label(l, media.text("a photo of a " + l));
      sounds.label(l, media.text("the sound of a " + l));
    }
    ZeroShotClassifier imageClassifier = images.build();
    ZeroShotClassifier soundClassifier = sounds.build();
    int right = 0;
    List<String> files = new ArrayList<>();
    for (String l : LABELS) {
      String stem = l.replace(' ', '_');
      boolean drawing = List.of("piano", "violin", "trumpet", "drum kit").contains(l);
      files.add("images/" + stem + (drawing ? ".png" : ".jpg"));
      files.add("audio/" + stem + ".ogg");
    }
    out.printf("%-22s %-10s %s%n", "file", "truth", "top-3 (probability)");
    for (String f : files) {
      Embedding e = media.embed(f);
      ZeroShotClassifier c = f.startsWith("images/") ? imageClassifier : soundClassifier;
      List<ZeroShotClassifier.Prediction> p = c.classify(e);
      String truth = f.substring(f.indexOf('/') + 1, f.lastIndexOf('.')).replace('_', ' ');
      if (p.get(0).label().equals(truth)) {
        right++;
      }
      out.printf(Locale.ROOT, "%-22s %-10s %s (%.2f), %s (%.2f), %s (%.2f)%n", f, truth, p.get(0).label(),
          p.get(0).probability(), p.get(1).label(), p.get(1).probability(), p.get(2).label(), p.get(2).probability());
    }
    out.printf(Locale.ROOT, "%d of %d files classified right (chance %.0f %%)%n", right, files.size(),
        100.0 / LABELS.size());
    return right;
  }
}
