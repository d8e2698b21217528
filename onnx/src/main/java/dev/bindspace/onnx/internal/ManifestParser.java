package dev.bindspace.onnx.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bindspace.MediaKind;
import dev.bindspace.onnx.Aggregation;
import dev.bindspace.onnx.BundleException;
import dev.bindspace.onnx.BundleManifest;
import dev.bindspace.onnx.FileRef;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.License;
import dev.bindspace.onnx.PostProcessing;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.TensorSpec;
import dev.bindspace.onnx.TensorType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code bundle.json} through Jackson's tree model and reports every problem as
 * {@code "<source>: at <json path>: expected X, found Y"}. Unknown keys are refused so that typos
 * do not silently fall back to defaults. Internal: use {@link BundleManifest#parse}.
 */
public final class ManifestParser {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final String source;

  private ManifestParser(String source) {
    this.source = source;
  }

  public static BundleManifest parse(byte[] json, String source) {
    return new ManifestParser(source).parse(json);
  }

  private BundleManifest parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BundleException(source + ": not valid JSON: " + e.getOriginalMessage()
          + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
    } catch (IOException e) {
      throw new BundleException(source + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new BundleException(source + ": expected a JSON object, found an empty file");
    }
    Node r = new Node(root, "$");
    r.requireObject();
    // the version first: a newer format may change everything else
    int version = r.integer("format_version");
    if (version != BundleManifest.FORMAT_VERSION) {
      throw new BundleException(source + ": unknown bundle format version: expected "
          + BundleManifest.FORMAT_VERSION + ", found " + version
          + (version > BundleManifest.FORMAT_VERSION ? " (written by a newer bindspace?)" : ""));
    }
    r.allowOnly("format_version", "model", "space", "dimension", "license", "graphs", "files");
    Node model = r.object("model");
    model.allowOnly("name", "version");
    Node lic = r.object("license");
    lic.allowOnly("id", "name", "attribution", "file");
    Optional<FileRef> licFile = lic.has("file") ? Optional.of(lic.object("file").fileRef()) : Optional.empty();
    int dimension = r.integer("dimension");
    Node graphs = r.object("graphs");
    Map<MediaKind, GraphSpec> specs = new LinkedHashMap<>();
    for (Iterator<String> it = graphs.json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      MediaKind media = graphs.enumValue(MediaKind.class, key, key);
      specs.put(media, graph(media, graphs.object(key)));
    }
    List<FileRef> files = new ArrayList<>();
    if (r.has("files")) {
      for (Node f : r.array("files")) {
        files.add(f.fileRef());
      }
    }
    try {
      return new BundleManifest(version, model.string("name"), model.string("version"), r.string("space"),
          dimension, new License(lic.string("id"), lic.string("name"), lic.string("attribution"), licFile),
          specs, files);
    } catch (IllegalArgumentException e) {
      throw new BundleException(source + ": " + e.getMessage(), e);
    }
  }

  private GraphSpec graph(MediaKind media, Node g) {
    g.allowOnly("file", "data_files", "inputs", "outputs", "preprocessing", "postprocessing", "aggregation",
        "precision");
    FileRef file = g.object("file").fileRef();
    List<FileRef> data = new ArrayList<>();
    if (g.has("data_files")) {
      for (Node d : g.array("data_files")) {
        data.add(d.fileRef());
      }
    }
    Preprocessing pre = preprocessing(media, g.object("preprocessing"));
    boolean tokens = pre instanceof Preprocessing.Text t && t.tokenizer() == Preprocessing.TokenizerKind.WORDPIECE;
    List<TensorSpec> inputs = tokens ? tensors(g, "inputs", 2, 3) : List.of(single(g, "inputs"));
    TensorSpec output = single(g, "outputs");
    Node p = g.object("postprocessing");
    p.allowOnly("applied_in", "l2_normalize", "logit_scale");
    PostProcessing post = p.wrap(() -> new PostProcessing(
        p.enumValue(PostProcessing.Stage.class, "applied_in", p.string("applied_in")),
        p.bool("l2_normalize"), p.number("logit_scale")));
    Node a = g.object("aggregation");
    a.allowOnly("mode", "views");
    Aggregation agg = a.wrap(() -> new Aggregation(a.enumValue(Aggregation.Mode.class, "mode", a.string("mode")),
        a.integer("views")));
    GraphSpec.Precision precision = g.has("precision")
        ? g.enumValue(GraphSpec.Precision.class, "precision", g.string("precision")) : GraphSpec.Precision.FLOAT32;
    return g.wrap(() -> new GraphSpec(media, file, data, inputs, output, pre, post, agg, precision));
  }

  private TensorSpec single(Node g, String field) {
    List<Node> list = g.array(field);
    if (list.size() != 1) {
      throw g.error(field, "exactly one tensor", list.size() + " tensors");
    }
    return tensor(list.get(0));
  }

  private List<TensorSpec> tensors(Node g, String field, int min, int max) {
    List<Node> list = g.array(field);
    if (list.size() < min || list.size() > max) {
      throw g.error(field, min + " to " + max + " tensors (token ids, attention mask[, token type ids]) for a "
          + "wordpiece text graph", list.size() + " tensors");
    }
    List<TensorSpec> out = new ArrayList<>();
    for (Node t : list) {
      out.add(tensor(t));
    }
    return out;
  }

  private TensorSpec tensor(Node t) {
    t.allowOnly("name", "dtype", "shape");
    List<Long> shape = new ArrayList<>();
    for (Node d : t.array("shape")) {
      if (!d.json.canConvertToLong() || !d.json.isIntegralNumber()) {
        throw d.error(null, "an integer dimension (-1 for dynamic)", d.json.toString());
      }
      shape.add(d.json.longValue());
    }
    return t.wrap(() -> new TensorSpec(t.string("name"),
        t.enumValue(TensorType.class, "dtype", t.string("dtype")), shape));
  }

  private Preprocessing preprocessing(MediaKind media, Node p) {
    String kind = p.string("kind");
    Set<String> allowed = switch (media) {
      case IMAGE, DEPTH, THERMAL -> Set.of("image", "tensor");
      case VIDEO -> Set.of("video", "tensor");
      case AUDIO -> Set.of("audio", "tensor");
      case TEXT -> Set.of("text");
      case IMU -> Set.of("tensor");
    };
    if (!allowed.contains(kind)) {
      throw p.error("kind", "one of " + new TreeSet<>(allowed) + " for a " + BundleManifest.key(media) + " graph",
          "\"" + kind + "\"");
    }
    switch (kind) {
      case "image":
        p.allowOnly("kind", "channels", "size", "resize", "crop", "mean", "std");
        return p.wrap(() -> new Preprocessing.Image(p.integer("channels"), p.integer("size"),
            p.enumValue(Preprocessing.ResizeMode.class, "resize", p.string("resize")),
            p.enumValue(Preprocessing.CropMode.class, "crop", p.string("crop")),
            p.numbers("mean"), p.numbers("std")));
      case "video":
        p.allowOnly("kind", "clip_duration_seconds", "clips_per_video", "frames_per_clip", "size", "resize", "crop",
            "crops_per_clip", "mean", "std");
        return p.wrap(() -> new Preprocessing.Video(p.number("clip_duration_seconds"), p.integer("clips_per_video"),
            p.integer("frames_per_clip"), p.integer("size"),
            p.enumValue(Preprocessing.ResizeMode.class, "resize", p.string("resize")),
            p.enumValue(Preprocessing.CropMode.class, "crop", p.string("crop")), p.integer("crops_per_clip"),
            p.numbers("mean"), p.numbers("std")));
      case "audio":
        p.allowOnly("kind", "sample_rate", "mel_bins", "target_frames", "clip_duration_seconds", "clips_per_file",
            "frame_length_ms", "frame_shift_ms", "mean", "std");
        return p.wrap(() -> new Preprocessing.Audio(p.integer("sample_rate"), p.integer("mel_bins"),
            p.integer("target_frames"), p.number("clip_duration_seconds"), p.integer("clips_per_file"),
            p.number("frame_length_ms"), p.number("frame_shift_ms"), p.number("mean"), p.number("std")));
      case "text":
        p.allowOnly("kind", "tokenizer", "vocabulary", "context_length", "padding");
        Preprocessing.TokenizerKind tokenizer =
            p.enumValue(Preprocessing.TokenizerKind.class, "tokenizer", p.string("tokenizer"));
        Preprocessing.TextPadding padding = p.has("padding")
            ? p.enumValue(Preprocessing.TextPadding.class, "padding", p.string("padding"))
            : Preprocessing.Text.defaultPadding(tokenizer);
        return p.wrap(() -> new Preprocessing.Text(tokenizer, p.object("vocabulary").fileRef(),
            p.integer("context_length"), padding));
      default:
        p.allowOnly("kind", "note");
        return new Preprocessing.Tensor(p.has("note") ? p.string("note") : "");
    }
  }

  /** A JSON node and its path, with typed accessors that fail with "expected X, found Y". */
  private final class Node {
    final JsonNode json;
    final String path;

    Node(JsonNode json, String path) {
      this.json = json;
      this.path = path;
    }

    BundleException error(String field, String expected, String found) {
      String where = field == null ? path : path + "." + field;
      return new BundleException(source + ": at " + where + ": expected " + expected + ", found " + found);
    }

    void requireObject() {
      if (!json.isObject()) {
        throw error(null, "a JSON object", describe(json));
      }
    }

    boolean has(String field) {
      return json.has(field) && !json.get(field).isNull();
    }

    JsonNode get(String field, String expected) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        throw error(field, expected, "nothing (the field is missing)");
      }
      return v;
    }

    void allowOnly(String... fields) {
      Set<String> ok = Set.of(fields);
      for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!ok.contains(f)) {
          throw error(f, "no such field (known fields: " + new TreeSet<>(Arrays.asList(fields)) + ")",
              "an unknown field");
        }
      }
    }

    Node object(String field) {
      JsonNode v = get(field, "an object");
      if (!v.isObject()) {
        throw error(field, "an object", describe(v));
      }
      return new Node(v, path + "." + field);
    }

    List<Node> array(String field) {
      JsonNode v = get(field, "an array");
      if (!v.isArray()) {
        throw error(field, "an array", describe(v));
      }
      List<Node> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        out.add(new Node(v.get(i), path + "." + field + "[" + i + "]"));
      }
      return out;
    }

    String string(String field) {
      JsonNode v = get(field, "a string");
      if (!v.isTextual()) {
        throw error(field, "a string", describe(v));
      }
      return v.textValue();
    }

    int integer(String field) {
      JsonNode v = get(field, "an integer");
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw error(field, "an integer", describe(v));
      }
      return v.intValue();
    }

    double number(String field) {
      JsonNode v = get(field, "a number");
      if (!v.isNumber()) {
        throw error(field, "a number", describe(v));
      }
      return v.doubleValue();
    }

    boolean bool(String field) {
      JsonNode v = get(field, "true or false");
      if (!v.isBoolean()) {
        throw error(field, "true or false", describe(v));
      }
      return v.booleanValue();
    }

    List<Double> numbers(String field) {
      List<Double> out = new ArrayList<>();
      for (Node n : array(field)) {
        if (!n.json.isNumber()) {
          throw n.error(null, "a number", describe(n.json));
        }
        out.add(n.json.doubleValue());
      }
      return out;
    }

    <E extends Enum<E>> E enumValue(Class<E> type, String field, String value) {
      for (E e : type.getEnumConstants()) {
        if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
      throw error(field, "one of " + names, "\"" + value + "\"");
    }

    FileRef fileRef() {
      allowOnly("path", "sha256", "resource");
      String p = string("path");
      String sha = string("sha256");
      String res = has("resource") ? string("resource") : null;
      return wrap(() -> new FileRef(p, sha, res));
    }

    /** Runs a constructor, turning its IllegalArgumentException into a BundleException at this path. */
    <T> T wrap(java.util.function.Supplier<T> s) {
      try {
        return s.get();
      } catch (IllegalArgumentException e) {
        throw new BundleException(source + ": at " + path + ": " + e.getMessage(), e);
      }
    }
  }

  private static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "the string \"" + v.textValue() + "\"";
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    return v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + v;
  }
}
