package dev.bindspace.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.ZeroShotClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bindspace classify}. */
@Command(name = "classify", description = "Zero-shot classification of texts and files against text labels.",
    footer = {"", "Each label becomes prompts by the input's kind, e.g. image: \"a photo of a {}.\", "
        + "audio: \"the sound of a {}.\" (see docs/cli.md); its prototype is their mean embedding."})
final class ClassifyCommand extends BaseCommand implements Callable<Integer> {
  enum Format { TABLE, JSONL }

  @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
  Path model;

  @Option(names = "--labels", required = true, paramLabel = "L1,L2,...", description = "Comma-separated labels.")
  String labels;

  @Option(names = "--text", paramLabel = "TEXT", description = "A text to classify (repeatable).")
  List<String> texts = new ArrayList<>();

  @Option(names = "--modality", paramLabel = "KIND", defaultValue = "auto",
      description = "auto|text|image|audio|video|depth|thermal|imu for the INPUT files (default: auto).")
  KindOption modality;

  @Option(names = "--top", paramLabel = "N", defaultValue = "3", description = "Labels shown per input (default: 3).")
  int top;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.01",
      description = "Softmax temperature (default: 0.01, a logit scale of 100).")
  double temperature;

  @Option(names = "--format", defaultValue = "table", description = "table|jsonl (default: table).")
  Format format;

  @Parameters(paramLabel = "INPUT", arity = "0..*", description = "Files to classify.")
  List<Path> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> names = parseLabels();
    if (texts.isEmpty() && inputs.isEmpty()) {
      throw usage("nothing to classify: give --text TEXT or INPUT files");
    }
    if (top < 1) {
      throw usage("--top must be >= 1, found " + top);
    }
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw usage("--temperature must be a positive number, found " + temperature);
    }
    try (MediaEmbedder e = openModel(Optional.ofNullable(model))) {
      Map<MediaKind, ZeroShotClassifier> classifiers = new EnumMap<>(MediaKind.class);
      for (String t : texts) {
        print(t, MediaKind.TEXT, classifier(e, classifiers, MediaKind.TEXT, names).classify(e.embedText(t).joint()));
      }
      for (Path f : inputs) {
        MediaKind kind = kindOf(e, f, modality);
        List<Embedding> parts = e.embed(f, kind, Granularity.WHOLE).stream().map(EmbeddedItem::joint).toList();
        Embedding v = parts.size() == 1 ? parts.get(0) : Embedding.mean(parts);
        print(f.toString(), kind, classifier(e, classifiers, kind, names).classify(v));
      }
    }
    out().flush();
    return ExitCodes.OK;
  }

  private List<String> parseLabels() {
    Set<String> out = new LinkedHashSet<>();
    for (String l : labels.split(",")) {
      String t = l.strip();
      if (t.isEmpty()) {
        throw usage("--labels has an empty label in '" + labels + "'");
      }
      if (!out.add(t)) {
        throw usage("--labels repeats '" + t + "'");
      }
    }
    if (out.size() < 2) {
      throw usage("--labels needs at least two labels, found '" + labels + "'");
    }
    return List.copyOf(out);
  }

  private ZeroShotClassifier classifier(MediaEmbedder e, Map<MediaKind, ZeroShotClassifier> cache, MediaKind kind,
      List<String> names) {
    return cache.computeIfAbsent(kind, k -> {
      ZeroShotClassifier.Builder b = ZeroShotClassifier.builder().temperature(temperature);
      for (String label : names) {
        List<Embedding> prompts = e.embedTexts(PromptTemplates.prompts(k, label)).stream()
            .map(EmbeddedItem::joint).toList();
        b.label(label, prompts);
      }
      return b.build();
    });
  }

  private void print(String input, MediaKind kind, List<ZeroShotClassifier.Prediction> predictions) {
    var out = out();
    List<ZeroShotClassifier.Prediction> shown = predictions.subList(0, Math.min(top, predictions.size()));
    if (format == Format.JSONL) {
      ObjectNode o = Json.object();
      o.put("input", input);
      o.put("modality", lower(kind));
      ArrayNode a = o.putArray("labels");
      for (ZeroShotClassifier.Prediction p : shown) {
        a.addObject().put("label", p.label()).put("probability", p.probability()).put("cosine", p.cosine());
      }
      out.println(Json.line(o));
      return;
    }
    StringBuilder b = new StringBuilder();
    for (ZeroShotClassifier.Prediction p : shown) {
      b.append(String.format(Locale.ROOT, "  %s %.3f (cos %.3f)", p.label(), p.probability(), p.cosine()));
    }
    out.printf("%s [%s]:%s%n", input, lower(kind), b);
  }
}
