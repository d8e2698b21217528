package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioEncoder;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioMoments;
import dev.bindspace.audio.Moment;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Where in this recording does a dog bark?": embeds a 55 s recording (quiet noise with a cow at
 * 10 s, a dog at 25 s and a trumpet at 40 s) as 4 s windows every 2 s and ranks the windows against
 * text queries, printing their time ranges. The same works for video ({@code VideoEncoder.moments}).
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests -Dexample=Moments}
 */
public final class Moments {
  private Moments() {
  }

  public static void main(String[] args) {
    try (Media media = Media.open(args)) {
      run(media, System.out);
    }
  }

  /** Returns, per query, the start second of the best window (for the test). */
  static double[] run(Media media, PrintStream out) {
    AudioEncoder audio = (AudioEncoder) media.model().encoder(Modality.AUDIO);
    AudioMoments moments = AudioMoments.builder(audio).window(Duration.ofSeconds(4)).stride(Duration.ofSeconds(2))
        .build();
    List<Moment> windows = moments.embed(AudioInput.file(media.file("audio/farm-walk.ogg")));
    out.printf("audio/farm-walk.ogg: %d windows of 4 s every 2 s%n", windows.size());
    List<String> queries = List.of("a cow mooing", "a dog barking", "a trumpet");
    double[] best = new double[queries.size()];
    for (int q = 0; q < queries.size(); q++) {
      Embedding t = media.text(queries.get(q));
      List<Moment> ranked = windows.stream()
          .sorted(Comparator.comparingDouble((Moment m) -> -m.embedding().cosine(t))).limit(3).toList();
      out.printf("%n\"%s\":%n", queries.get(q));
      for (Moment m : ranked) {
        out.printf(Locale.ROOT, "  %s - %s   %.3f%n", clock(m.start()), clock(m.end()), m.embedding().cosine(t));
      }
      best[q] = ranked.get(0).start().toMillis() / 1000.0;
    }
    return best;
  }

  static String clock(Duration d) {
    long ms = d.toMillis();
    return String.format(Locale.ROOT, "%02d:%04.1f", ms / 60000, (ms % 60000) / 1000.0);
  }
}
