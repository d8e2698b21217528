package dev.bindspace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every bindspace-mini example on the committed sample media and checks what it prints. The
 * checks are about the program (all files embedded, matrices well formed, every window timed), not
 * about how good the small model is: its quality is measured on held-out sets by
 * {@code dev.bindspace.mini.tools.Evaluate} (docs/models/bindspace-mini.md).
 */
class ExamplesTest {
  private static Media media;

  @BeforeAll
  static void open() {
    System.setProperty("bindspace.examples.media", Path.of("media").toAbsolutePath().toString());
    media = Media.open(new String[0]);
  }

  @AfterAll
  static void close() {
    media.close();
  }

  private static String capture(java.util.function.Consumer<PrintStream> body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      body.accept(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void should_print_three_softmax_matrices_in_quick_start() {
    double[][][] vt = new double[1][][];
    String out = capture(o -> vt[0] = QuickStart.run(media, o));
    assertThat(out).contains("Vision x Text", "Audio x Text", "Vision x Audio");
    assertThat(vt[0]).hasNumberOfRows(QuickStart.CONCEPTS.size());
    for (double[] row : vt[0]) {
      assertThat(java.util.Arrays.stream(row).sum()).isBetween(0.999, 1.001);
    }
  }

  @Test
  void should_index_every_sample_file_and_answer_each_query_kind() {
    String out = capture(o -> CrossModalSearch.run(media, Media.folder(), o));
    assertThat(out).contains("Indexed 20 files").doesNotContain("skipped");
    assertThat(out).contains("text \"a dog barking\"", "image images/owl.jpg", "sound audio/trumpet.ogg",
        "video video/dog.mp4");
  }

  @Test
  void should_run_the_arithmetic_queries() {
    String out = capture(o -> Arithmetic.run(media, o));
    assertThat(out).contains("image horse.jpg + sound trumpet.ogg", "slerp(").contains("images/");
  }

  @Test
  void should_classify_every_sample_file() {
    String out = capture(o -> ZeroShot.run(media, o));
    assertThat(out).contains("of 18 files classified right");
  }

  @Test
  void should_time_every_window_of_the_long_recording() {
    double[][] best = new double[1][];
    String out = capture(o -> best[0] = Moments.run(media, o));
    assertThat(out).containsPattern("audio/farm-walk.ogg: 2[67] windows of 4 s every 2 s");
    for (double start : best[0]) {
      assertThat(start).isBetween(0.0, 51.0);
    }
  }
}
