package dev.bindspace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Zero-shot classification: an embedding is compared with one text (or any) embedding per label,
 * and the cosine similarities become probabilities with a softmax:
 *
 * <pre>p(label) = exp(cosᵢ / T) / Σⱼ exp(cosⱼ / T)</pre>
 *
 * <p>The temperature {@code T} defaults to {@value #DEFAULT_TEMPERATURE}, i.e. a logit scale of 100,
 * which is what ImageBind (like CLIP) learned for vision–text logits. A higher temperature flattens
 * the distribution.
 *
 * <pre>{@code
 * ZeroShotClassifier c = ZeroShotClassifier.builder()
 *     .label("dog", text.embed("a photo of a dog"))
 *     .label("car", text.embed("a photo of a car"))
 *     .build();
 * ZeroShotClassifier.Prediction best = c.classify(image).get(0);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ZeroShotClassifier {
  /** Default softmax temperature: 0.01 (logit scale 100, as ImageBind's vision–text head). */
  public static final double DEFAULT_TEMPERATURE = 0.01;

  private final List<String> labels;
  private final List<Embedding> prototypes;
  private final double temperature;

  private ZeroShotClassifier(List<String> labels, List<Embedding> prototypes, double temperature) {
    this.labels = labels;
    this.prototypes = prototypes;
    this.temperature = temperature;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The labels in the order they were added. */
  public List<String> labels() {
    return labels;
  }

  public double temperature() {
    return temperature;
  }

  /**
   * Probabilities for every label, most probable first (ties in label order).
   *
   * @throws IllegalArgumentException if {@code embedding} has another space or dimension
   */
  public List<Prediction> classify(Embedding embedding) {
    Objects.requireNonNull(embedding, "embedding");
    int n = labels.size();
    double[] cos = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      cos[i] = embedding.cosine(prototypes.get(i));
      max = Math.max(max, cos[i] / temperature);
    }
    double sum = 0;
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      e[i] = Math.exp(cos[i] / temperature - max); // shifted by the max logit: no overflow
      sum += e[i];
    }
    List<Prediction> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Prediction(labels.get(i), e[i] / sum, cos[i], i));
    }
    out.sort((a, b) -> a.probability != b.probability
        ? Double.compare(b.probability, a.probability) : Integer.compare(a.order, b.order));
    return Collections.unmodifiableList(out);
  }

  /** The most probable label. */
  public Prediction best(Embedding embedding) {
    return classify(embedding).get(0);
  }

  /** A label with its probability and the raw cosine similarity behind it. */
  public static final class Prediction {
    private final String label;
    private final double probability;
    private final double cosine;
    private final int order;

    Prediction(String label, double probability, double cosine, int order) {
      this.label = label;
      this.probability = probability;
      this.cosine = cosine;
      this.order = order;
    }

    public String label() {
      return label;
    }

    /** Softmax probability in [0, 1]; all predictions of one call sum to 1. */
    public double probability() {
      return probability;
    }

    /** Cosine similarity between the input and this label's embedding. */
    public double cosine() {
      return cosine;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s: p=%.4f (cos %.4f)", label, probability, cosine);
    }
  }

  /** Builder; validated at {@link #build()}. */
  public static final class Builder {
    private final Map<String, Embedding> labels = new LinkedHashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private double temperature = DEFAULT_TEMPERATURE;

    /** Adds a label with the embedding that describes it (typically of a text prompt). */
    public Builder label(String label, Embedding embedding) {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(embedding, "embedding");
      if (labels.put(label, embedding) != null) {
        duplicates.add(label);
      }
      return this;
    }

    /** Adds one prototype per label: the normalised mean of several prompt embeddings. */
    public Builder label(String label, List<Embedding> promptEmbeddings) {
      List<Embedding> unit = new ArrayList<>();
      for (Embedding e : promptEmbeddings) {
        unit.add(e.normalize());
      }
      return label(label, Embedding.mean(unit).normalize());
    }

    /** Softmax temperature, finite and &gt; 0; default {@value ZeroShotClassifier#DEFAULT_TEMPERATURE}. */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * @throws IllegalArgumentException with fewer than two labels, a repeated label, a bad
     *     temperature, or label embeddings of different spaces or dimensions
     */
    public ZeroShotClassifier build() {
      if (!duplicates.isEmpty()) {
        throw new IllegalArgumentException("labels must be unique, repeated: " + new HashSet<>(duplicates));
      }
      if (labels.size() < 2) {
        throw new IllegalArgumentException("expected at least 2 labels, got " + labels.size());
      }
      if (!(temperature > 0) || !Double.isFinite(temperature)) {
        throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
      }
      List<Embedding> es = new ArrayList<>(labels.values());
      for (Embedding e : es) {
        es.get(0).checkCompatible(e);
        if (e.norm() == 0) {
          throw new IllegalArgumentException("label embeddings must not be zero vectors");
        }
      }
      return new ZeroShotClassifier(List.copyOf(labels.keySet()), List.copyOf(es), temperature);
    }
  }
}
