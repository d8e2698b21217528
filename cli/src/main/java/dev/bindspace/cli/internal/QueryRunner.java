package dev.bindspace.cli.internal;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.MetadataFilter;
import dev.bindspace.Modality;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns query expressions into vectors with a model and runs them against an index. */
final class QueryRunner {
  private final MediaEmbedder embedder;
  private final IndexStore store;

  QueryRunner(MediaEmbedder embedder, IndexStore store) {
    this.embedder = embedder;
    this.store = store;
  }

  /** The query vector of {@code q}: every media operand must be an existing file. */
  Embedding vector(QueryExpression q) {
    return q.evaluate(t -> {
      if (t.kind() == MediaKind.TEXT) {
        return embedder.embedText(t.operand()).joint();
      }
      Path file = Path.of(t.operand());
      if (!Files.isRegularFile(file)) {
        throw new InputException("no such file: " + t.operand() + " (in the " + t.kind().name().toLowerCase(Locale.ROOT)
            + " term at column " + (t.position() + 1) + " of the query)");
      }
      List<Embedding> parts = new ArrayList<>();
      for (EmbeddedItem it : embedder.embed(file, t.kind(), Granularity.WHOLE)) {
        parts.add(it.joint());
      }
      return parts.size() == 1 ? parts.get(0) : Embedding.mean(parts);
    });
  }

  /** The best {@code k} hits of {@code query}, restricted to {@code kinds} when not empty. */
  List<SearchHit> search(Embedding query, int k, Set<MediaKind> kinds) {
    SearchRequest.Builder b = SearchRequest.builder(query).topK(k);
    if (!kinds.isEmpty()) {
      Set<Modality> modalities = EnumSet.noneOf(Modality.class);
      kinds.forEach(m -> modalities.add(m.modality()));
      b.targetModalities(modalities);
      Set<String> names = kinds.stream().map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
      b.filter(MetadataFilter.in(IndexStore.MODALITY, names));
    }
    return store.index().search(b.build());
  }
}
