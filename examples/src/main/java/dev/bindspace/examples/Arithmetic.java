package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.FlatIndex;
import dev.bindspace.Modality;
import java.io.PrintStream;
import java.util.List;

/**
 * Embedding arithmetic across modalities with bindspace-mini: an image plus a sound, a text minus a
 * text plus an image, and a weighted mix, each as a query against the sample media. Every operand is
 * a unit vector; the sums are normalised before searching.
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests -Dexample=Arithmetic}
 */
public final class Arithmetic {
  private Arithmetic() {
  }

  public static void main(String[] args) {
    try (Media media = Media.open(args)) {
      run(media, System.out);
    }
  }

  static void run(Media media, PrintStream out) {
    try (FlatIndex index = CrossModalSearch.index(media, media.file(""), out)) {
      // image + sound: a horse's photo plus a trumpet's sound
      Embedding q1 = media.image("images/horse.jpg").add(media.audio("audio/trumpet.ogg")).normalize();
      CrossModalSearch.show(out, index, "image horse.jpg + sound trumpet.ogg -> images", q1, Modality.VISION);
      // text - text + image: "a cow" - "a farm animal" + an instrument drawing
      Embedding q2 = media.text("a cow").subtract(media.text("a farm animal")).add(media.image("images/piano.png"))
          .normalize();
      CrossModalSearch.show(out, index, "text \"a cow\" - text \"a farm animal\" + image piano.png -> sounds", q2,
          Modality.AUDIO);
      // weighted: 0.7 dog video + 0.3 "a bird"
      Embedding q3 = Embedding.sum(List.of(media.video("video/dog.mp4"), media.text("a bird")), new double[] {0.7, 0.3})
          .normalize();
      CrossModalSearch.show(out, index, "0.7 * video dog.mp4 + 0.3 * text \"a bird\" -> images", q3, Modality.VISION);
      // slerp halfway between two sounds
      Embedding q4 = media.audio("audio/cow.ogg").slerp(media.audio("audio/owl.ogg"), 0.5);
      CrossModalSearch.show(out, index, "slerp(sound cow.ogg, sound owl.ogg, 0.5) -> images", q4, Modality.VISION);
    }
  }
}
