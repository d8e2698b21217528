package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bindspace report}. */
@Command(name = "report", description = "Run a file of queries against an index; write one self-contained HTML page.",
    footer = {"", "Queries file: one query per line in the --expr syntax of 'search'; blank lines and lines",
        "starting with # are skipped. The page has no external URL: images and sounds are inlined."})
final class ReportCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--index", required = true, paramLabel = "FILE|DIR", description = "The index to search.")
  Path index;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "One query expression per line.")
  Path queries;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
  Path outFile;

  @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
  Path model;

  @Option(names = "--k", paramLabel = "K", defaultValue = "8", description = "Hits per query (default: 8).")
  int k;

  @Option(names = "--modality", split = ",", paramLabel = "KIND", description = "Only hits of these kinds.")
  List<KindOption> kinds = new ArrayList<>();

  @Option(names = "--max-audio-bytes", paramLabel = "BYTES", defaultValue = "2097152",
      description = "Largest audio file inlined as a player (default: 2 MiB).")
  long maxAudioBytes;

  @Option(names = "--title", paramLabel = "TEXT", defaultValue = "bindspace report", description = "Page title.")
  String title;

  private record Line(int number, QueryExpression query) {
  }

  @Override
  public Integer call() {
    if (k < 1 || k > 1000) {
      throw usage("--k must be in 1..1000, found " + k);
    }
    Set<MediaKind> filter = SearchCommand.kinds(this, kinds);
    List<Line> lines = readQueries();
    List<HtmlReport.QueryResult> results = new ArrayList<>();
    String space;
    try (IndexStore store = IndexStore.openForReading(index);
         MediaEmbedder e = openModel(Optional.ofNullable(model))) {
      checkCompatible(store, e);
      space = e.info().name() + ", index " + index + " (" + store.index().size() + " entries)";
      QueryRunner runner = new QueryRunner(e, store);
      for (Line l : lines) {
        List<SearchHit> hits;
        try {
          hits = runner.search(runner.vector(l.query()), k, filter);
        } catch (InputException x) {
          throw new InputException(queries + ":" + l.number() + ": " + x.getMessage(), x);
        }
        results.add(new HtmlReport.QueryResult(l.query().source(), hits));
      }
    }
    Path dir = outFile.toAbsolutePath().getParent();
    String html = new HtmlReport(dir, maxAudioBytes).render(title, "model " + space + "; "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS), results);
    try {
      Files.writeString(outFile, html, StandardCharsets.UTF_8);
    } catch (IOException x) {
      throw new InputException("cannot write " + outFile + ": " + x.getMessage(), x);
    }
    out().printf("wrote %s: %d queries, %d hits%n", outFile, results.size(),
        results.stream().mapToInt(r -> r.hits().size()).sum());
    out().flush();
    return ExitCodes.OK;
  }

  private List<Line> readQueries() {
    List<String> text;
    try {
      text = Files.readAllLines(queries, StandardCharsets.UTF_8);
    } catch (MalformedInputException x) {
      throw new InputException("cannot read " + queries + ": not valid UTF-8", x);
    } catch (IOException x) {
      throw new InputException("cannot read " + queries + ": " + x, x);
    }
    List<Line> out = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      String s = text.get(i).strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      try {
        out.add(new Line(i + 1, QueryExpression.parse(s)));
      } catch (ExpressionException x) {
        throw new InputException(queries + ":" + (i + 1) + ": " + x.getMessage() + "\n  " + x.pointer().replace("\n", "\n  "), x);
      }
    }
    if (out.isEmpty()) {
      throw new InputException(queries + ": no queries (one query expression per line)");
    }
    return out;
  }
}
