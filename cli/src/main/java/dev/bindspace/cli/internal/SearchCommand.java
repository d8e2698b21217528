package dev.bindspace.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bindspace search}. */
@Command(name = "search", description = "Search an index with a text, a file or a vector-arithmetic expression.",
    footer = {"", "Expression: terms kind:operand joined by + and -, each with an optional weight, e.g.",
        "  --expr \"image:a.jpg + 0.5*audio:b.wav - text:'a cat'\"",
        "Kinds: text, image, audio, video, depth, thermal, imu. Quote texts with '...' or \"...\"."})
final class SearchCommand extends BaseCommand implements Callable<Integer> {
  enum Format { TABLE, JSONL }

  static final class Query {
    @Option(names = "--text", paramLabel = "TEXT", description = "Search with a text.")
    String text;
    @Option(names = "--image", paramLabel = "FILE", description = "Search with an image.")
    Path image;
    @Option(names = "--audio", paramLabel = "FILE", description = "Search with a sound.")
    Path audio;
    @Option(names = "--video", paramLabel = "FILE", description = "Search with a video.")
    Path video;
    @Option(names = "--expr", paramLabel = "EXPR", description = "Search with a vector-arithmetic expression.")
    String expr;

    QueryExpression expression() {
      if (text != null) {
        return QueryExpression.single(MediaKind.TEXT, text);
      } else if (image != null) {
        return QueryExpression.single(MediaKind.IMAGE, image.toString());
      } else if (audio != null) {
        return QueryExpression.single(MediaKind.AUDIO, audio.toString());
      } else if (video != null) {
        return QueryExpression.single(MediaKind.VIDEO, video.toString());
      }
      return QueryExpression.parse(expr);
    }
  }

  @Option(names = "--index", required = true, paramLabel = "FILE|DIR", description = "The index to search.")
  Path index;

  @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Number of hits (default: 10).")
  int k;

  @Option(names = "--modality", split = ",", paramLabel = "KIND",
      description = "Only hits of these kinds, e.g. image,audio (default: all).")
  List<KindOption> kinds = new ArrayList<>();

  @Option(names = "--format", defaultValue = "table", description = "table|jsonl (default: table).")
  Format format;

  @Override
  public Integer call() {
    if (k < 1 || k > SearchRequest.MAX_TOP_K) {
      throw usage("--k must be in 1.." + SearchRequest.MAX_TOP_K + ", found " + k);
    }
    Set<MediaKind> filter = kinds(this, kinds);
    QueryExpression q = query.expression();   // parse errors before anything is opened
    try (IndexStore store = IndexStore.openForReading(index);
         MediaEmbedder e = openModel(Optional.ofNullable(model))) {
      checkCompatible(store, e);
      QueryRunner runner = new QueryRunner(e, store);
      Embedding v = runner.vector(q);
      List<SearchHit> hits = runner.search(v, k, filter);
      print(hits);
    }
    return ExitCodes.OK;
  }

  static Set<MediaKind> kinds(BaseCommand cmd, List<KindOption> kinds) {
    Set<MediaKind> out = EnumSet.noneOf(MediaKind.class);
    for (KindOption o : kinds) {
      if (o == KindOption.AUTO) {
        throw cmd.usage("--modality takes kinds (text,image,audio,video,...), not auto");
      }
      out.add(o.kind());
    }
    return out;
  }

  private void print(List<SearchHit> hits) {
    var out = out();
    if (format == Format.JSONL) {
      int rank = 0;
      for (SearchHit h : hits) {
        ObjectNode o = Json.object();
        o.put("rank", ++rank);
        o.put("score", h.score());
        o.put("id", h.id());
        o.put("path", h.metadata().getOrDefault(IndexStore.PATH, h.id()));
        o.put("modality", lower(h.media()));
        if (h.metadata().containsKey(IndexStore.START)) {
          o.put("start", Double.parseDouble(h.metadata().get(IndexStore.START)));
          o.put("end", Double.parseDouble(h.metadata().get(IndexStore.END)));
        }
        out.println(Json.line(o));
      }
      out.flush();
      return;
    }
    if (hits.isEmpty()) {
      out.println("no hits");
      out.flush();
      return;
    }
    out.printf("%4s  %6s  %-8s %-17s  %s%n", "rank", "score", "kind", "time", "path");
    int rank = 0;
    for (SearchHit h : hits) {
      out.printf(Locale.ROOT, "%4d  %6.3f  %-8s %-17s  %s%n", ++rank, h.score(), lower(h.media()),
          HtmlReport.times(h), h.metadata().getOrDefault(IndexStore.PATH, h.id()));
    }
    out.flush();
  }
}
