package dev.bindspace.onnx;

import dev.bindspace.Encoder;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.UnsupportedModalityException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link dev.bindspace.EmbeddingModel} over a model bundle on ONNX Runtime.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge.zip"))) {
 *   System.out.println(model.describe());          // graphs, encoders, missing modules
 *   TensorEncoder imu = model.tensorEncoder(MediaKind.IMU);
 *   EmbeddingResult r = imu.encode(Tensor.ofFloats(new long[] {6, 2000}, samples));
 *   r.joint();  // unit norm, for cosine search
 *   r.raw();    // ImageBind's own numbers (x5 for IMU)
 * }
 * }</pre>
 *
 * <p>Opening verifies the bundle, opens one shared session per graph and checks each graph's
 * signature against the manifest. Per modality the encoder comes from an {@link EncoderProvider}
 * on the classpath ({@code bindspace-encoders-*}); a modality whose graphs all take plain tensors
 * (IMU) is served by the built-in {@link TensorEncoder}. {@link #modalities()} lists what can be
 * embedded; {@link #bundleModalities()} what the bundle holds; {@link #missingEncoderModules()} which
 * module to add for the rest (also logged once at open). {@link #tensorEncoder(MediaKind)} embeds
 * preprocessed tensors for every graph, with or without encoder modules.
 */
public final class OnnxEmbeddingModel implements dev.bindspace.EmbeddingModel {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbeddingModel.class);

  private final Bundle bundle;
  private final boolean ownsBundle;
  private final BundleManifest manifest;
  private final OnnxRuntimeOptions options;
  private final Map<MediaKind, OnnxGraph> graphs = new EnumMap<>(MediaKind.class);
  private final Map<MediaKind, TensorEncoder> tensorEncoders = new EnumMap<>(MediaKind.class);
  private final Map<Modality, OnnxEncoder<?>> encoders = new EnumMap<>(Modality.class);
  private final Map<Modality, String> missing = new EnumMap<>(Modality.class);
  private boolean closed;

  private OnnxEmbeddingModel(Bundle bundle, boolean ownsBundle, OnnxRuntimeOptions options, ClassLoader loader) {
    this.bundle = bundle;
    this.ownsBundle = ownsBundle;
    this.manifest = bundle.manifest();
    this.options = options;
    try {
      for (GraphSpec spec : manifest.graphs().values()) {
        graphs.put(spec.media(), OnnxGraph.open(bundle, spec, options));
      }
      for (MediaKind m : graphs.keySet()) {
        GraphSpec spec = graphs.get(m).spec();
        if (spec.tokenSequence() || spec.variableLengthIds()) {
          continue; // takes token sequences of any length; no fixed-shape tensor input
        }
        tensorEncoders.put(m, new TensorEncoder(graphs.get(m), manifest.space(), manifest.dimension(),
            options.maxBatchSize(), false));
      }
      buildEncoders(loader);
    } catch (RuntimeException e) {
      closeQuietly(e);
      throw e;
    }
    if (!missing.isEmpty()) {
      LOG.warn("{}: bundle {} has {} but no encoder on the classpath for {}; add {}", manifest.modelName(),
          bundle.source(), manifest.modalities(), missing.keySet(), new java.util.TreeSet<>(missing.values()));
    }
  }

  /** Opens a bundle directory or zip with default options. */
  public static OnnxEmbeddingModel open(Path bundlePath) {
    return open(bundlePath, OnnxRuntimeOptions.defaults());
  }

  /** Opens a bundle directory or zip; the model closes the bundle. */
  public static OnnxEmbeddingModel open(Path bundlePath, OnnxRuntimeOptions options) {
    Bundle b = Bundle.open(bundlePath);
    try {
      return new OnnxEmbeddingModel(b, true, Objects.requireNonNull(options, "options"), defaultLoader());
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Opens a bundle from classpath resources under {@code prefix}; the model closes the bundle. */
  public static OnnxEmbeddingModel fromClasspath(String prefix, OnnxRuntimeOptions options) {
    return fromClasspath(prefix, options, defaultLoader());
  }

  /**
   * Opens a bundle from {@code loader}'s resources under {@code prefix}, with encoder providers
   * looked up in the same loader; the model closes the bundle.
   */
  public static OnnxEmbeddingModel fromClasspath(String prefix, OnnxRuntimeOptions options, ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    Bundle b = Bundle.fromClasspath(prefix, loader);
    try {
      return new OnnxEmbeddingModel(b, true, Objects.requireNonNull(options, "options"), loader);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /**
   * A model over an already opened bundle, with providers looked up in {@code loader}. The caller
   * keeps ownership of {@code bundle} and closes it after the model.
   */
  public static OnnxEmbeddingModel of(Bundle bundle, OnnxRuntimeOptions options, ClassLoader loader) {
    return new OnnxEmbeddingModel(Objects.requireNonNull(bundle, "bundle"), false,
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(loader, "loader"));
  }

  private static ClassLoader defaultLoader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : OnnxEmbeddingModel.class.getClassLoader();
  }

  private void buildEncoders(ClassLoader loader) {
    List<EncoderProvider> providers = new ArrayList<>();
    try {
      for (EncoderProvider p : ServiceLoader.load(EncoderProvider.class, loader)) {
        providers.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new BundleException("a bindspace encoder module on the classpath is broken: " + e.getMessage(), e);
    }
    for (Modality modality : manifest.modalities()) {
      Map<MediaKind, GraphSpec> mine = new EnumMap<>(MediaKind.class);
      for (GraphSpec g : manifest.graphs().values()) {
        if (g.modality() == modality) {
          mine.put(g.media(), g);
        }
      }
      Map<MediaKind, GraphSpec> view = Collections.unmodifiableMap(mine);
      EncoderProvider chosen = null;
      for (EncoderProvider p : providers) {
        if (p.modality() == modality && p.supports(view)) {
          chosen = p;
          break;
        }
      }
      if (chosen != null) {
        encoders.put(modality, chosen.create(context(view)));
      } else if (mine.size() == 1 && mine.values().iterator().next().preprocessing() instanceof Preprocessing.Tensor) {
        encoders.put(modality, tensorEncoders.get(mine.keySet().iterator().next()));
      } else {
        missing.put(modality, expectedModule(view));
      }
    }
  }

  /** The encoder module a modality's graphs call for, by preprocessing kind. */
  static String expectedModule(Map<MediaKind, GraphSpec> graphs) {
    for (GraphSpec g : graphs.values()) {
      if (g.preprocessing() instanceof Preprocessing.Text) {
        return "bindspace-encoders-text";
      }
      if (g.preprocessing() instanceof Preprocessing.Audio) {
        return "bindspace-encoders-audio";
      }
      if (g.preprocessing() instanceof Preprocessing.Image || g.preprocessing() instanceof Preprocessing.Video) {
        return "bindspace-encoders-vision";
      }
    }
    return "a bindspace encoder module for " + graphs.keySet();
  }

  private EncoderProvider.Context context(Map<MediaKind, GraphSpec> view) {
    return new EncoderProvider.Context() {
      @Override
      public Bundle bundle() {
        return bundle;
      }

      @Override
      public BundleManifest manifest() {
        return manifest;
      }

      @Override
      public Map<MediaKind, GraphSpec> graphs() {
        return view;
      }

      @Override
      public OnnxGraph graph(MediaKind media) {
        if (!view.containsKey(media)) {
          throw new IllegalArgumentException("no " + media + " graph among " + view.keySet());
        }
        return graphs.get(media);
      }

      @Override
      public OnnxRuntimeOptions options() {
        return options;
      }
    };
  }

  @Override
  public String name() {
    return manifest.modelName();
  }

  @Override
  public String space() {
    return manifest.space();
  }

  @Override
  public int dimension() {
    return manifest.dimension();
  }

  public BundleManifest manifest() {
    return manifest;
  }

  /** The modalities that can be embedded now (an encoder is on the classpath or built in). */
  @Override
  public Set<Modality> modalities() {
    return Collections.unmodifiableSet(encoders.keySet());
  }

  /** The modalities the bundle holds graphs for, with or without an encoder. */
  public Set<Modality> bundleModalities() {
    return manifest.modalities();
  }

  /** For each modality of the bundle without an encoder: the module to add to the classpath. */
  public Map<Modality, String> missingEncoderModules() {
    return Collections.unmodifiableMap(missing);
  }

  /**
   * The encoder for {@code modality}.
   *
   * @throws UnsupportedModalityException if the bundle lacks it or its encoder module is missing
   *     (see {@link #missingEncoderModules()}); the message lists the supported modalities
   */
  @Override
  public OnnxEncoder<?> encoder(Modality modality) {
    Objects.requireNonNull(modality, "modality");
    checkOpen();
    OnnxEncoder<?> e = encoders.get(modality);
    if (e == null) {
      if (missing.containsKey(modality)) {
        LOG.warn("{}: the bundle has a {} graph but its encoder needs {} on the classpath", name(), modality,
            missing.get(modality));
      }
      throw new UnsupportedModalityException(name(), modality, modalities());
    }
    return e;
  }

  /** The encoder of preprocessed tensors for the {@code media} graph (every graph has one). */
  public TensorEncoder tensorEncoder(MediaKind media) {
    Objects.requireNonNull(media, "media");
    checkOpen();
    TensorEncoder e = tensorEncoders.get(media);
    if (e == null && graphs.containsKey(media)) {
      throw new IllegalArgumentException("the " + BundleManifest.key(media) + " graph of " + bundle.source()
          + " takes token sequences of any length " + graphs.get(media).spec().inputs() + ", not fixed-shape "
          + "tensors; use encoder(" + media.modality() + ") from bindspace-encoders-text");
    }
    if (e == null) {
      throw new IllegalArgumentException("bundle " + bundle.source() + " has no " + BundleManifest.key(media)
          + " graph; it has " + manifest.graphs().keySet());
    }
    return e;
  }

  /** One paragraph: model, graphs and providers, encoders, missing modules. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(manifest.modelName()).append(' ').append(manifest.modelVersion()).append(" (space ")
        .append(manifest.space()).append(", dimension ").append(manifest.dimension()).append(", license ")
        .append(manifest.license().id()).append(") from ").append(bundle.source()).append('\n');
    for (OnnxGraph g : graphs.values()) {
      b.append("  graph ").append(BundleManifest.key(g.spec().media())).append(": ").append(g.spec().inputs().size() == 1 ? g.spec().input() : g.spec().inputs())
          .append(" -> ").append(g.spec().output())
          .append(g.spec().precision() == GraphSpec.Precision.FLOAT32 ? "" : " (weights int8, dynamic)")
          .append(" on ").append(g.executionProvider()).append(g.loaded() ? "" : " (loads on first use)").append('\n');
    }
    b.append("  encoders: ").append(encoders.keySet());
    if (!missing.isEmpty()) {
      b.append("; missing: ");
      missing.forEach((m, mod) -> b.append(m).append(" needs ").append(mod).append("; "));
    }
    return b.toString();
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model " + name() + " is closed");
    }
  }

  /** Closes encoders, graphs and (if owned) the bundle. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException first = closeQuietly(null);
    if (first != null) {
      throw first;
    }
  }

  private RuntimeException closeQuietly(RuntimeException primary) {
    RuntimeException first = null;
    List<AutoCloseable> all = new ArrayList<>();
    for (OnnxEncoder<?> e : encoders.values()) {
      if (!(e instanceof TensorEncoder)) {
        all.add(e);
      }
    }
    all.addAll(tensorEncoders.values());
    all.addAll(graphs.values());
    if (ownsBundle) {
      all.add(bundle);
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception ex) {
        if (primary != null) {
          primary.addSuppressed(ex);
        } else if (first == null) {
          first = ex instanceof RuntimeException re ? re : new BundleException("close failed: " + ex, ex);
        }
      }
    }
    return first;
  }

  @Override
  public String toString() {
    return "OnnxEmbeddingModel[" + manifest + ", encoders=" + encoders.keySet() + ", missing=" + missing + "]";
  }
}
