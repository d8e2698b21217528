package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.FlatIndex;
import dev.bindspace.IndexEntry;
import dev.bindspace.Modality;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Indexes a folder of mixed media (default: the sample media) with bindspace-mini and queries it with
 * a text, an image, a sound and a video. Pass another folder as the first argument to index your own.
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am -Pquickstart verify -DskipTests -Dexample=CrossModalSearch}
 */
public final class CrossModalSearch {
  private CrossModalSearch() {
  }

  public static void main(String[] args) {
    try (Media media = Media.open(args)) {
      Path folder = args.length > 0 && !args[0].startsWith("--") ? Path.of(args[0]) : media.file("");
      run(media, folder, System.out);
    }
  }

  static FlatIndex index(Media media, Path folder, PrintStream out) {
    FlatIndex index = FlatIndex.create(media.model().space(), media.model().dimension());
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = folder.relativize(f).toString().replace('\\', '/');
        String kind = kindByExtension(rel);
        if (kind == null) {
          continue;
        }
        try {
          Embedding e = switch (kind) {
            case "image" -> media.embedAt(f, "image");
            case "audio" -> media.embedAt(f, "audio");
            default -> media.embedAt(f, "video");
          };
          index.add(IndexEntry.of(rel, e, Map.of("kind", kind)));
        } catch (RuntimeException ex) { // a broken file is reported and skipped
          out.println("  skipped " + rel + ": " + ex.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return index;
  }

  static String kindByExtension(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.matches(".*\\.(jpe?g|png|gif|bmp|webp|tiff?)$")) {
      return "image";
    }
    if (n.matches(".*\\.(wav|mp3|ogg|oga|opus|flac|m4a)$")) {
      return "audio";
    }
    if (n.matches(".*\\.(mp4|webm|mkv|mov|avi)$")) {
      return "video";
    }
    return null;
  }

  static void run(Media media, Path folder, PrintStream out) {
    try (FlatIndex index = index(media, folder, out)) {
      out.printf("Indexed %d files from %s%n", index.size(), folder);
      show(out, index, "text \"a dog barking\" -> images and videos", media.text("a dog barking"), Modality.VISION);
      show(out, index, "text \"music\" -> sounds", media.text("music"), Modality.AUDIO);
      show(out, index, "image images/owl.jpg -> sounds", media.image("images/owl.jpg"), Modality.AUDIO);
      show(out, index, "sound audio/trumpet.ogg -> images", media.audio("audio/trumpet.ogg"), Modality.VISION);
      show(out, index, "video video/dog.mp4 -> sounds", media.video("video/dog.mp4"), Modality.AUDIO);
    }
  }

  static List<SearchHit> show(PrintStream out, FlatIndex index, String title, Embedding query, Modality target) {
    List<SearchHit> hits = index.search(SearchRequest.builder(query).topK(3).targetModalities(target).build());
    out.printf("%n%s%n", title);
    for (SearchHit h : hits) {
      out.printf(Locale.ROOT, "  %.3f  %s%n", h.score(), h.id());
    }
    return hits;
  }
}
