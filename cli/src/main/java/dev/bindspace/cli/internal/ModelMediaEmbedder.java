package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;
import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.UnsupportedModalityException;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.BundleManifest;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.OnnxEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link MediaEmbedder} over an {@link OnnxEmbeddingModel}. Text goes through
 * {@code model.encoder(Modality.TEXT, String.class)}; a media file goes through its kind's entry in
 * the {@link Registry}: either a <em>moments</em> function (long audio/video as windows) or an
 * <em>input factory</em> that turns the path into the input object the model's encoder for that
 * modality takes (e.g. an image input), which is then encoded with
 * {@link OnnxEncoder#encode}. Which factories exist is decided in one place,
 * {@link MediaSupport#register}; a kind with none fails with "no encoder for IMAGE files in this
 * build".
 *
 * <p>Owns the model it opened; {@link #close()} closes it.
 */
public final class ModelMediaEmbedder implements MediaEmbedder {

  /** Embeds one long file as moments, each with start and end seconds. */
  @FunctionalInterface
  public interface MomentEncoder {
    /**
     * @throws RuntimeException for a file that cannot be decoded (reported as an input error)
     */
    List<EmbeddedItem> embed(OnnxEmbeddingModel model, Path file);
  }

  /** Which media kinds this build can embed, and how. Mutable while it is being filled. */
  public static final class Registry {
    private final Map<MediaKind, Function<Path, ?>> inputs = new EnumMap<>(MediaKind.class);
    private final Map<MediaKind, MomentEncoder> moments = new EnumMap<>(MediaKind.class);

    /**
     * Registers the factory of the encoder input for whole files of {@code kind}, e.g.
     * {@code input(MediaKind.IMAGE, VisionInput::file)}. The object it returns must be of the
     * input type of {@code model.encoder(kind.modality())}.
     */
    public Registry input(MediaKind kind, Function<Path, ?> factory) {
      checkMediaKind(kind);
      inputs.put(kind, Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Registers how files of {@code kind} are embedded as moments ({@link Granularity#MOMENTS}). */
    public Registry moments(MediaKind kind, MomentEncoder encoder) {
      checkMediaKind(kind);
      moments.put(kind, Objects.requireNonNull(encoder, "encoder"));
      return this;
    }

    /** The kinds with a whole-file input factory. */
    public Set<MediaKind> inputKinds() {
      return inputs.isEmpty() ? Set.of() : EnumSet.copyOf(inputs.keySet());
    }

    /** The kinds with a moments encoder. */
    public Set<MediaKind> momentKinds() {
      return moments.isEmpty() ? Set.of() : EnumSet.copyOf(moments.keySet());
    }

    private static void checkMediaKind(MediaKind kind) {
      if (Objects.requireNonNull(kind, "kind") == MediaKind.TEXT) {
        throw new IllegalArgumentException("TEXT is embedded from strings by the model's text encoder, not registered");
      }
    }
  }

  private final OnnxEmbeddingModel model;
  private final Map<MediaKind, Function<Path, ?>> inputs;
  private final Map<MediaKind, MomentEncoder> moments;
  private final ModelInfo info;

  private ModelMediaEmbedder(OnnxEmbeddingModel model, Registry registry) {
    this.model = model;
    this.inputs = Map.copyOf(registry.inputs);
    this.moments = Map.copyOf(registry.moments);
    this.info = describe(model);
  }

  /**
   * Opens the bundle at {@code bundle} (directory or zip), or bindspace-mini from the classpath when
   * empty, with the media support of this build ({@link MediaSupport#register}).
   *
   * @throws ModelException if the bundle cannot be opened
   */
  public static ModelMediaEmbedder open(Optional<Path> bundle) {
    Registry r = new Registry();
    MediaSupport.register(r);
    return open(bundle, r);
  }

  /** As {@link #open(Optional)} with an explicit registry. */
  public static ModelMediaEmbedder open(Optional<Path> bundle, Registry registry) {
    Objects.requireNonNull(registry, "registry");
    OnnxEmbeddingModel m;
    try {
      // A user bundle's graphs load on first use: a command that embeds text only never loads
      // ImageBind-Huge's 2.5 GB image and video graphs.
      m = bundle.isPresent()
          ? OnnxEmbeddingModel.open(bundle.get(), OnnxRuntimeOptions.builder()
              .graphLoading(OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE).build())
          : BindspaceMini.open();
    } catch (BindspaceException | IllegalArgumentException | UncheckedIOException e) {
      throw new ModelException("cannot open model " + bundle.map(Path::toString).orElse("bindspace-mini (classpath)")
          + ": " + e.getMessage(), e);
    }
    try {
      return new ModelMediaEmbedder(m, registry);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The model; owned by this embedder. */
  public OnnxEmbeddingModel model() {
    return model;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  private ModelInfo describe(OnnxEmbeddingModel m) {
    BundleManifest mf = m.manifest();
    Set<MediaKind> embeddable = EnumSet.noneOf(MediaKind.class);
    if (m.supports(Modality.TEXT)) {
      embeddable.add(MediaKind.TEXT);
    }
    for (MediaKind k : MediaKind.values()) {
      if ((inputs.containsKey(k) || moments.containsKey(k)) && m.supports(k.modality())) {
        embeddable.add(k);
      }
    }
    List<String> details = new ArrayList<>(Arrays.asList(m.describe().split("\n")));
    details.remove(0); // the first line repeats name, space, dimension and licence
    return new ModelInfo(mf.modelName(), mf.modelVersion(), mf.space(), mf.dimension(), mf.graphs().keySet(),
        embeddable, mf.license().id(), mf.license().name(), mf.license().attribution(),
        details.stream().map(String::strip).toList());
  }

  @Override
  public List<EmbeddedItem> embed(Path file, MediaKind kind, Granularity granularity) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(granularity, "granularity");
    if (kind == MediaKind.TEXT) {
      return List.of(embedText(readText(file), file));
    }
    MomentEncoder me = granularity == Granularity.MOMENTS ? moments.get(kind) : null;
    Function<Path, ?> factory = inputs.get(kind);
    if (me == null && factory == null) {
      throw new InputException("no encoder for " + kind + " files in this build: cannot embed " + file
          + " (this build embeds " + (info.embeddableKinds().isEmpty() ? "nothing" : info.embeddableKinds()) + ")");
    }
    OnnxEncoder<?> encoder = encoderFor(kind, file);
    try {
      if (me != null) {
        List<EmbeddedItem> items = me.embed(model, file);
        if (items.isEmpty()) {
          throw new InputException("no moments in " + file + " (is it empty?)");
        }
        return items;
      }
      Object input = factory.apply(file);
      EmbeddingResult r = encodeOne(encoder, input, file);
      return List.of(EmbeddedItem.whole(kind, r.joint().withMedia(kind), Optional.of(r.raw().withMedia(kind))));
    } catch (InputException e) {
      throw e;
    } catch (BindspaceException | IllegalArgumentException | UncheckedIOException e) {
      throw new InputException("cannot embed " + file + " as " + kind + ": " + reason(e, file), e);
    }
  }

  /**
   * A decoder's message for the skipped-files list: without the encoders' own prefixes that repeat
   * the file name ({@code "input 0 (VisionInput[VIDEO_FILE, F]): F: "}, {@code "F: "},
   * {@code Could not open input "F"}) and without
   * JavaCV's hints to its own API ({@code "(Has setFormat() been called?)"}), which mean nothing to a
   * CLI user.
   */
  static String reason(RuntimeException e, Path file) {
    String m = String.valueOf(e.getMessage());
    String prefix = file + ": ";
    int at = m.lastIndexOf(prefix);
    if (at >= 0) {
      m = m.substring(at + prefix.length());
    }
    m = m.replace(" \"" + file + "\"", "");   // JavaCV: Could not open input "F".
    for (String hint : JAVACV_HINTS) {
      m = m.replace(hint, "");
    }
    return m.strip();
  }

  private static final List<String> JAVACV_HINTS = List.of(" (Has setFormat() been called?)",
      " (For more details, make sure FFmpegLogCallback.set() has been called.)");

  private OnnxEncoder<?> encoderFor(MediaKind kind, Path file) {
    try {
      return model.encoder(kind.modality());
    } catch (UnsupportedModalityException e) {
      throw new InputException("cannot embed " + file + ": model " + model.name() + " has no " + kind.modality()
          + " encoder (it embeds " + model.modalities() + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <I> EmbeddingResult encodeOne(OnnxEncoder<I> encoder, Object input, Path file) {
    if (!encoder.inputType().isInstance(input)) {
      throw new IllegalStateException("the input factory for " + file + " made a " + input.getClass().getName()
          + " but the " + encoder.modality() + " encoder takes " + encoder.inputType().getName());
    }
    return encoder.encode((I) input);
  }

  @Override
  public List<EmbeddedItem> embedTexts(List<String> texts) {
    OnnxEncoder<String> text = textEncoder();
    List<EmbeddedItem> out = new ArrayList<>(texts.size());
    for (EmbeddingResult r : text.encodeAll(texts)) {
      out.add(EmbeddedItem.whole(MediaKind.TEXT, r.joint(), Optional.of(r.raw())));
    }
    return out;
  }

  private EmbeddedItem embedText(String text, Path file) {
    try {
      return embedText(text);
    } catch (BindspaceException | IllegalArgumentException e) {
      throw new InputException("cannot embed " + file + " as TEXT: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private OnnxEncoder<String> textEncoder() {
    try {
      return (OnnxEncoder<String>) (OnnxEncoder<?>) model.encoder(Modality.TEXT, String.class);
    } catch (UnsupportedModalityException e) {
      throw new InputException("model " + model.name() + " has no TEXT encoder (it embeds " + model.modalities() + ")", e);
    }
  }

  /** A text file's content: UTF-8, refused when it is not valid UTF-8 or is blank. */
  static String readText(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e, e);
    }
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InputException("cannot read " + file + " as text: not valid UTF-8", e);
    }
    if (s.isBlank()) {
      throw new InputException("cannot embed " + file + ": the text file is empty");
    }
    return s;
  }

  @Override
  public void close() {
    model.close();
  }

}
