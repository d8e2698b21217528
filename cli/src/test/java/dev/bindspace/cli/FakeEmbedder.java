package dev.bindspace.cli;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.EmbeddedItem;
import dev.bindspace.cli.internal.Granularity;
import dev.bindspace.cli.internal.InputException;
import dev.bindspace.cli.internal.MediaEmbedder;
import dev.bindspace.cli.internal.ModelInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic stand-in model for tests: a text's vector is seeded by the text, a file's by its
 * content (a text file's by its stripped content, so that {@code --text CONTENT} finds the file with
 * cosine 1). Audio and video files are cut into 2-second moments, one per 10 bytes (at least 1, at
 * most 5). A file whose content starts with "BROKEN" fails like an undecodable file, one with
 * "CRASH" with an unexpected runtime exception.
 */
final class FakeEmbedder implements MediaEmbedder {
  static final String SPACE = "fake-space";
  static final int DIM = 16;

  private final Set<MediaKind> kinds;
  private final long delayMillis;
  private final String space;

  FakeEmbedder(Set<MediaKind> kinds, long delayMillis) {
    this(kinds, delayMillis, SPACE);
  }

  FakeEmbedder(Set<MediaKind> kinds, long delayMillis, String space) {
    this.kinds = kinds.isEmpty() ? Set.of() : EnumSet.copyOf(kinds);
    this.delayMillis = delayMillis;
    this.space = space;
  }

  static FakeEmbedder all() {
    return new FakeEmbedder(EnumSet.of(MediaKind.TEXT, MediaKind.IMAGE, MediaKind.AUDIO, MediaKind.VIDEO), 0);
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo("fake", "1", space, DIM, kinds, kinds, "Apache-2.0", "Apache License 2.0",
        "test stand-in", List.of("deterministic vectors"));
  }

  static float[] vector(String seed) {
    Random r = new Random(seed.hashCode() * 31L + seed.length());
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Override
  public List<EmbeddedItem> embed(Path file, MediaKind kind, Granularity granularity) {
    if (!kinds.contains(kind)) {
      throw new InputException("no encoder for " + kind + " files in this build: cannot embed " + file);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e, e);
    }
    String content = new String(bytes, StandardCharsets.ISO_8859_1);
    if (content.startsWith("CRASH")) {
      throw new IllegalStateException("decoder crashed on " + file.getFileName());
    }
    if (content.startsWith("BROKEN")) {
      throw new InputException("cannot decode " + file + ": broken " + kind + " data");
    }
    sleep();
    String seed = kind == MediaKind.TEXT ? content.strip() : kind + content;
    if (granularity == Granularity.MOMENTS && (kind == MediaKind.AUDIO || kind == MediaKind.VIDEO)) {
      int n = Math.max(1, Math.min(5, bytes.length / 10));
      List<EmbeddedItem> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Embedding e = Embedding.of(space, kind, vector(seed + "#" + i)).normalize();
        out.add(EmbeddedItem.moment(kind, e, Optional.of(e.scale(20)), 2.0 * i, 2.0 * i + 2.0));
      }
      return out;
    }
    Embedding e = Embedding.of(space, kind, vector(seed)).normalize();
    return List.of(EmbeddedItem.whole(kind, e, Optional.of(e.scale(20))));
  }

  @Override
  public List<EmbeddedItem> embedTexts(List<String> texts) {
    List<EmbeddedItem> out = new ArrayList<>();
    for (String t : texts) {
      Embedding e = Embedding.of(space, MediaKind.TEXT, vector(t.strip())).normalize();
      out.add(EmbeddedItem.whole(MediaKind.TEXT, e, Optional.of(e)));
    }
    return out;
  }

  private void sleep() {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
  }
}
