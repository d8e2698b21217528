package dev.bindspace.onnx;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.internal.ManifestParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed, validated {@code bundle.json} of a model bundle (format described in
 * {@code docs/bundle-format.md}). Immutable.
 */
public final class BundleManifest {
  /** The file name of the manifest at the bundle root. */
  public static final String FILE_NAME = "bundle.json";
  /** The only format version this release reads. */
  public static final int FORMAT_VERSION = 1;

  private final int formatVersion;
  private final String modelName;
  private final String modelVersion;
  private final String space;
  private final int dimension;
  private final License license;
  private final Map<MediaKind, GraphSpec> graphs;
  private final List<FileRef> extraFiles;

  /**
   * Builds a manifest and cross-checks it: every graph output must end in {@code dimension}, every
   * input and output must have a dynamic batch axis, and file paths must be unique.
   */
  public BundleManifest(int formatVersion, String modelName, String modelVersion, String space, int dimension,
      License license, Map<MediaKind, GraphSpec> graphs, List<FileRef> extraFiles) {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("unknown bundle format version: expected " + FORMAT_VERSION
          + ", found " + formatVersion);
    }
    this.formatVersion = formatVersion;
    this.modelName = requireNonBlank(modelName, "model name");
    this.modelVersion = requireNonBlank(modelVersion, "model version");
    this.space = Embedding.checkSpace(space);
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, found " + dimension);
    }
    this.dimension = dimension;
    this.license = Objects.requireNonNull(license, "license");
    if (graphs.isEmpty()) {
      throw new IllegalArgumentException("a bundle needs at least one graph, found none");
    }
    EnumMap<MediaKind, GraphSpec> g = new EnumMap<>(MediaKind.class);
    for (Map.Entry<MediaKind, GraphSpec> e : graphs.entrySet()) {
      GraphSpec spec = e.getValue();
      if (spec.media() != e.getKey()) {
        throw new IllegalArgumentException("graph under key " + e.getKey() + " declares media " + spec.media());
      }
      for (TensorSpec in : spec.inputs()) {
        checkBatchAxis(spec, in, "input");
        if (spec.tokenSequence() && (in.type() != TensorType.INT64 || !in.shape().equals(List.of(-1L, -1L)))) {
          throw new IllegalArgumentException("graph " + key(spec.media()) + ": input '" + in.name() + "' is " + in
              + ", expected int64 [-1, -1] (batch, sequence) for a wordpiece text graph");
        }
      }
      if (spec.variableLengthIds() && (spec.inputs().size() != 1
          || spec.input().type() != TensorType.INT64 || !spec.input().shape().equals(List.of(-1L, -1L)))) {
        throw new IllegalArgumentException("graph " + key(spec.media()) + ": inputs " + spec.inputs()
            + ", expected one int64 [-1, -1] input (batch, sequence) for a clip_bpe text graph with padding longest");
      }
      checkBatchAxis(spec, spec.output(), "output");
      List<Long> out = spec.output().shape();
      List<Long> want = spec.tokenSequence() ? List.of(-1L, -1L, (long) dimension) : List.of(-1L, (long) dimension);
      if (!out.equals(want)) {
        throw new IllegalArgumentException("graph " + key(spec.media()) + ": output '" + spec.output().name()
            + "' has shape " + out + ", expected " + want + " (the bundle dimension"
            + (spec.tokenSequence() ? ", per token: a wordpiece graph is pooled on the host)" : ")"));
      }
      if (spec.output().type() != TensorType.FLOAT32) {
        throw new IllegalArgumentException("graph " + key(spec.media()) + ": output '" + spec.output().name()
            + "' has type " + spec.output().type().manifestName() + ", expected float32");
      }
      g.put(e.getKey(), spec);
    }
    this.graphs = Collections.unmodifiableMap(g);
    this.extraFiles = List.copyOf(extraFiles);
    Map<String, String> shaByPath = new java.util.HashMap<>();
    for (FileRef f : allReferences()) {
      String prev = shaByPath.putIfAbsent(f.path(), f.sha256());
      if (prev != null && !prev.equals(f.sha256())) {
        throw new IllegalArgumentException("file '" + f.path() + "' is listed with two different sha256 values: "
            + prev + " and " + f.sha256());
      }
    }
  }

  /**
   * Parses {@code bundle.json} bytes.
   *
   * @param source where the bytes came from, for messages
   * @throws dev.bindspace.onnx.BundleException with the JSON path, what was expected and what was found
   */
  public static BundleManifest parse(byte[] json, String source) {
    return ManifestParser.parse(json, source);
  }

  /** The manifest key of a media kind: {@code image}, {@code video}, {@code text}, ... */
  public static String key(MediaKind media) {
    return media.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void checkBatchAxis(GraphSpec spec, TensorSpec t, String what) {
    if (t.shape().isEmpty() || t.shape().get(0) != -1) {
      throw new IllegalArgumentException("graph " + key(spec.media()) + ": " + what + " '" + t.name() + "' has shape "
          + t.shape() + ", expected a dynamic batch axis (-1) first");
    }
  }

  private static String requireNonBlank(String s, String what) {
    Objects.requireNonNull(s, what);
    if (s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return s;
  }

  public int formatVersion() {
    return formatVersion;
  }

  public String modelName() {
    return modelName;
  }

  public String modelVersion() {
    return modelVersion;
  }

  /** The joint-space id every embedding of this model carries. */
  public String space() {
    return space;
  }

  public int dimension() {
    return dimension;
  }

  public License license() {
    return license;
  }

  /** The graphs by media kind, in {@link MediaKind} order. */
  public Map<MediaKind, GraphSpec> graphs() {
    return graphs;
  }

  /** The graph for {@code media}, if the bundle has one. */
  public Optional<GraphSpec> graph(MediaKind media) {
    return Optional.ofNullable(graphs.get(media));
  }

  /** The modalities the bundle has at least one graph for. */
  public Set<Modality> modalities() {
    EnumSet<Modality> s = EnumSet.noneOf(Modality.class);
    for (MediaKind k : graphs.keySet()) {
      s.add(k.modality());
    }
    return Collections.unmodifiableSet(s);
  }

  /** Files listed at top level (license text, extra vocabularies). */
  public List<FileRef> extraFiles() {
    return extraFiles;
  }

  /** Every file the bundle must contain, each once: graphs, external data, vocabularies, license, extras. */
  public List<FileRef> allFiles() {
    Map<String, FileRef> byPath = new java.util.LinkedHashMap<>();
    for (FileRef f : allReferences()) {
      byPath.putIfAbsent(f.path(), f);
    }
    return new ArrayList<>(byPath.values());
  }

  private List<FileRef> allReferences() {
    List<FileRef> all = new ArrayList<>();
    for (GraphSpec g : graphs.values()) {
      all.add(g.file());
      all.addAll(g.dataFiles());
      if (g.preprocessing() instanceof Preprocessing.Text t) {
        all.add(t.vocabulary());
      }
    }
    license.file().ifPresent(all::add);
    all.addAll(extraFiles);
    return all;
  }

  @Override
  public String toString() {
    return "BundleManifest[format=" + formatVersion + ", model=" + modelName + " " + modelVersion + ", space=" + space
        + ", dimension=" + dimension + ", license=" + license.id() + ", graphs=" + graphs.keySet() + "]";
  }
}
