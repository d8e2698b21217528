package dev.bindspace.examples;

import dev.bindspace.Embedding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's quick start: embeds texts, images and sounds with bindspace-mini (from the classpath,
 * offline) and prints the cross-modal similarity matrices, as ImageBind's README does for
 * dog/car/bird. The media are real photos, drawings and recordings the model never saw in training
 * (examples/media/CREDITS.md).
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests}
 */
public final class QuickStart {
  /** The concepts, one row/column each: a text, an image and a sound of each. */
  static final List<String> CONCEPTS = List.of("dog", "cow", "owl", "piano", "trumpet");

  private QuickStart() {
  }

  public static void main(String[] args) {
    try (Media media = Media.open(args)) {
      run(media, System.out);
    }
  }

  /** Prints the three matrices; returns vision×text softmax rows (for the test). */
  static double[][] run(Media media, PrintStream out) {
    out.println("bindspace quick start: " + media.model().manifest().modelName() + " "
        + media.model().manifest().modelVersion() + ", space '" + media.model().space() + "', "
        + media.model().dimension() + "-d");
    List<Embedding> texts = new ArrayList<>();
    List<Embedding> images = new ArrayList<>();
    List<Embedding> sounds = new ArrayList<>();
    for (String c : CONCEPTS) {
      texts.add(media.text("a " + c));
      String image = c.equals("piano") || c.equals("trumpet") ? "images/" + c + ".png" : "images/" + c + ".jpg";
      images.add(media.image(image));
      sounds.add(media.audio("audio/" + c + ".ogg"));
    }
    double[][] vt = matrix(out, "Vision x Text (softmax over texts, logit scale 100 as ImageBind)", images, texts);
    matrix(out, "Audio x Text", sounds, texts);
    matrix(out, "Vision x Audio", images, sounds);
    out.println();
    out.println("Rows are the photo/drawing (or sound) of each concept; a strong diagonal means the model puts");
    out.println("them next to their own words.");
    if (media.model().manifest().modelName().equals("bindspace-mini")) {
      out.println("bindspace-mini is small and trained mostly on drawings, emoji and synthetic sounds: see");
      out.println("docs/models/bindspace-mini.md for what it can and cannot do.");
    }
    return vt;
  }

  static double[][] matrix(PrintStream out, String title, List<Embedding> rows, List<Embedding> cols) {
    out.printf("%n%s%n%10s", title, "");
    for (String c : CONCEPTS) {
      out.printf(Locale.ROOT, "%9s", c);
    }
    out.println();
    double[][] p = new double[rows.size()][cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      double max = Double.NEGATIVE_INFINITY;
      double[] logits = new double[cols.size()];
      for (int j = 0; j < cols.size(); j++) {
        logits[j] = 100 * rows.get(i).cosine(cols.get(j));
        max = Math.max(max, logits[j]);
      }
      double sum = 0;
      for (int j = 0; j < cols.size(); j++) {
        p[i][j] = Math.exp(logits[j] - max);
        sum += p[i][j];
      }
      out.printf(Locale.ROOT, "%10s", CONCEPTS.get(i));
      for (int j = 0; j < cols.size(); j++) {
        p[i][j] /= sum;
        out.printf(Locale.ROOT, "%9.3f", p[i][j]);
      }
      out.println();
    }
    return p;
  }
}
