package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bindspace index create|add|remove|stats}. */
@Command(name = "index", description = "Build and maintain an index of files (flat file or HNSW directory).",
    subcommands = {IndexCommand.Create.class, IndexCommand.Add.class, IndexCommand.Remove.class,
        IndexCommand.Stats.class})
final class IndexCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "an index command is required: create, add, remove or stats");
  }

  /** {@code --index}, {@code --index-type}. */
  static final class Where {
    @Option(names = "--index", required = true, paramLabel = "FILE|DIR",
        description = "The index: a flat .bsix file or an HNSW (Lucene) directory.")
    Path index;

    @Option(names = "--index-type", paramLabel = "TYPE",
        description = "flat|hnsw for a new index (default flat); an existing index keeps its type.")
    IndexType type;

    void checkType(IndexStore store) {
      if (type != null && type != store.type()) {
        throw new InputException("index " + index + " is a " + BaseCommand.lower(store.type()) + " index, not " + BaseCommand.lower(type));
      }
    }
  }

  /** Options of a run that adds files. */
  static final class AddOptions {
    @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
    Path model;

    @Option(names = "--moments", description = "Index long audio/video as moments (windows with start/end).")
    boolean moments;

    @Option(names = "--modality", split = ",", paramLabel = "KIND",
        description = "Only these kinds (text,image,audio,video,...; default: all).")
    List<KindOption> kinds = new ArrayList<>();

    @Option(names = "--commit-every", paramLabel = "N", defaultValue = "256",
        description = "Commit after this many entries (default: 256).")
    int commitEvery;

    @Option(names = "--commit-seconds", paramLabel = "S", defaultValue = "30",
        description = "Commit at least this often while indexing (default: 30).")
    double commitSeconds;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
        description = "auto|bar|lines|none (default: a bar on a terminal, lines otherwise).")
    ProgressOption progress;

    Progress.Mode progressMode(CliContext ctx) {
      switch (progress) {
        case BAR: return Progress.Mode.BAR;
        case LINES: return Progress.Mode.LINES;
        case NONE: return Progress.Mode.NONE;
        default: return ctx.errIsTerminal() ? Progress.Mode.BAR : Progress.Mode.LINES;
      }
    }
  }

  /** {@code --progress}. */
  enum ProgressOption { AUTO, BAR, LINES, NONE }

  /** Runs the ingestion and prints the summary; shared by create and add. */
  static int ingest(BaseCommand cmd, MediaEmbedder e, IndexStore store, AddOptions o, List<Path> paths) {
    if (o.commitEvery < 1) {
      throw cmd.usage("--commit-every must be >= 1, found " + o.commitEvery);
    }
    if (!(o.commitSeconds > 0)) {
      throw cmd.usage("--commit-seconds must be > 0, found " + o.commitSeconds);
    }
    Set<MediaKind> kinds = new HashSet<>();
    for (KindOption k : o.kinds) {
      if (k == KindOption.AUTO) {
        throw cmd.usage("--modality of index add takes kinds (text,image,audio,video,...), not auto");
      }
      kinds.add(k.kind());
    }
    Ingester ing = new Ingester(e, store, cmd.err(), o.progressMode(cmd.context()),
        o.commitEvery, Duration.ofMillis((long) (o.commitSeconds * 1000)),
        o.moments ? Granularity.MOMENTS : Granularity.WHOLE, kinds);
    Ingester.Summary s = ing.add(paths);
    var out = cmd.out();
    out.printf(Locale.ROOT, "%s: %d new, %d changed, %d unchanged files; %d entries written, %d removed; "
            + "%d skipped, %d ignored (not media); %d commits in %.1f s; %d entries in the index%n",
        store.location(), s.added(), s.updated(), s.unchanged(), s.entriesWritten(), s.entriesRemoved(),
        s.failures().size(), s.ignored(), s.commits(), s.seconds(), store.index().size());
    out.flush();
    if (!s.failures().isEmpty()) {
      var err = cmd.err();
      err.printf("skipped %d file(s):%n", s.failures().size());
      int shown = 0;
      for (String f : s.failures()) {
        if (shown++ == 50) {
          err.printf("  ... and %d more%n", s.failures().size() - 50);
          break;
        }
        err.printf("  %s%n", f);
      }
      err.flush();
    }
    return ExitCodes.OK;
  }

  @Command(name = "create", description = "Create a new index, then add PATHs (files or folders, recursively).")
  static final class Create extends BaseCommand implements Callable<Integer> {
    @Mixin
    Where where;

    @Mixin
    AddOptions add;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or folders to add.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
      try (MediaEmbedder e = openModel(Optional.ofNullable(add.model));
           IndexStore store = IndexStore.create(where.index, where.type == null ? IndexType.FLAT : where.type,
               e.space(), e.dimension())) {
        if (paths.isEmpty()) {
          out().printf("created empty %s index %s (space %s, dimension %d)%n", lower(store.type()), where.index,
              e.space(), e.dimension());
          return ExitCodes.OK;
        }
        return ingest(this, e, store, add, paths);
      }
    }
  }

  @Command(name = "add", description = "Add new and changed files under PATHs (creates the index if needed).")
  static final class Add extends BaseCommand implements Callable<Integer> {
    @Mixin
    Where where;

    @Mixin
    AddOptions add;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders to add.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
      try (MediaEmbedder e = openModel(Optional.ofNullable(add.model))) {
        boolean fresh = !IndexStore.exists(where.index);
        try (IndexStore store = fresh
            ? IndexStore.create(where.index, where.type == null ? IndexType.FLAT : where.type, e.space(), e.dimension())
            : IndexStore.open(where.index)) {
          where.checkType(store);
          checkCompatible(store, e);
          return ingest(this, e, store, add, paths);
        }
      }
    }
  }

  @Command(name = "remove", description = "Remove the entries of files at or under PATHs.")
  static final class Remove extends BaseCommand implements Callable<Integer> {
    @Mixin
    Where where;

    @Option(names = "--missing", description = "Also remove entries whose file no longer exists.")
    boolean missing;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or folders whose entries to remove.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
      if (paths.isEmpty() && !missing) {
        throw usage("nothing to remove: give PATHs or --missing");
      }
      try (IndexStore store = IndexStore.open(where.index)) {
        where.checkType(store);
        int n = Ingester.remove(store, paths, missing);
        out().printf("%s: removed %d entries; %d left%n", where.index, n, store.index().size());
        out().flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "stats", description = "Entries and files per modality.")
  static final class Stats extends BaseCommand implements Callable<Integer> {
    @Mixin
    Where where;

    @Override
    public Integer call() {
      try (IndexStore store = IndexStore.openForReading(where.index)) {
        where.checkType(store);
        Map<MediaKind, int[]> per = new EnumMap<>(MediaKind.class);   // entries, moments
        Map<MediaKind, Set<String>> files = new EnumMap<>(MediaKind.class);
        for (IndexStore.Stored s : store.entries()) {
          int[] c = per.computeIfAbsent(s.media(), k -> new int[2]);
          c[0]++;
          if (s.metadata().containsKey(IndexStore.START)) {
            c[1]++;
          }
          files.computeIfAbsent(s.media(), k -> new HashSet<>())
              .add(s.metadata().getOrDefault(IndexStore.PATH, s.id()));
        }
        var out = out();
        out.printf("index:      %s (%s)%n", where.index, lower(store.type()));
        out.printf("space:      %s%n", store.index().space());
        out.printf("dimension:  %d%n", store.index().dimension());
        out.printf("entries:    %d%n", store.index().size());
        out.printf("files:      %d%n", files.values().stream().mapToInt(Set::size).sum());
        out.printf("%-10s %8s %8s %8s%n", "modality", "entries", "files", "moments");
        for (Map.Entry<MediaKind, int[]> m : per.entrySet()) {
          out.printf("%-10s %8d %8d %8d%n", lower(m.getKey()), m.getValue()[0], files.get(m.getKey()).size(),
              m.getValue()[1]);
        }
        out.flush();
      }
      return ExitCodes.OK;
    }
  }
}
