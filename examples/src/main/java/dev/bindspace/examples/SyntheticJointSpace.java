package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Generated embeddings shaped like those of a trained ImageBind-style model, for demos and tests
 * while bindspace ships no encoder. <b>Not a model:</b> nothing here looks at pixels, samples or
 * words.
 *
 * <p>Every concept (say {@code dog}) is a random unit direction. An item's embedding is
 *
 * <pre>normalize( Σ concept directions + {@value #MODALITY_OFFSET}·modality direction + {@value #NOISE}·noise )</pre>
 *
 * <p>so, as in ImageBind, the same concept seen through two modalities is close (cosine about
 * 0.55), different concepts are nearly orthogonal, and items of one modality share an offset
 * (the "modality gap": two texts about different things are still about 0.35 apart). Videos use
 * the {@link Modality#VISION} offset, as ImageBind embeds them with its vision tower. The noise is
 * seeded by the item's name, so an embedding is a pure function of (seed, name, media, concepts).
 *
 * <p>Immutable and thread-safe.
 */
public final class SyntheticJointSpace {
  /** Weight of the per-modality offset direction. */
  public static final double MODALITY_OFFSET = 0.8;
  /** Weight of the per-item noise direction. */
  public static final double NOISE = 0.3;

  private final String space;
  private final int dimension;
  private final long seed;
  private final Map<String, double[]> concepts = new LinkedHashMap<>();
  private final Map<Modality, double[]> offsets = new EnumMap<>(Modality.class);

  /**
   * A space with one random direction per concept and per modality.
   *
   * @throws IllegalArgumentException for a dimension below 2, no concepts, or a repeated or blank concept
   */
  public SyntheticJointSpace(String space, int dimension, long seed, List<String> conceptNames) {
    this.space = Embedding.checkSpace(space);
    if (dimension < 2) {
      throw new IllegalArgumentException("dimension must be at least 2, got " + dimension);
    }
    Objects.requireNonNull(conceptNames, "conceptNames");
    if (conceptNames.isEmpty()) {
      throw new IllegalArgumentException("expected at least one concept, got none");
    }
    this.dimension = dimension;
    this.seed = seed;
    for (String c : conceptNames) {
      Objects.requireNonNull(c, "concept");
      if (c.isBlank()) {
        throw new IllegalArgumentException("concept names must not be blank, got '" + c + "'");
      }
      if (concepts.put(c, unitGaussian("concept:" + c)) != null) {
        throw new IllegalArgumentException("concept '" + c + "' is listed twice in " + conceptNames);
      }
    }
    for (Modality m : Modality.values()) {
      offsets.put(m, unitGaussian("modality:" + m));
    }
  }

  /** The joint-space id every generated embedding carries. */
  public String space() {
    return space;
  }

  public int dimension() {
    return dimension;
  }

  /** The concept names in the order given. */
  public List<String> concepts() {
    return List.copyOf(concepts.keySet());
  }

  /**
   * The unit-norm embedding of an item named {@code name} (which seeds its noise) of kind
   * {@code media} that shows all of {@code conceptNames}.
   *
   * @throws IllegalArgumentException for no concepts or one this space does not know
   */
  public Embedding embed(String name, MediaKind media, String... conceptNames) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(media, "media");
    if (conceptNames.length == 0) {
      throw new IllegalArgumentException("item '" + name + "' must show at least one concept");
    }
    double[] v = new double[dimension];
    for (String c : conceptNames) {
      double[] dir = concepts.get(c);
      if (dir == null) {
        throw new IllegalArgumentException("unknown concept '" + c + "' for item '" + name + "', known: " + concepts());
      }
      addScaled(v, dir, 1.0);
    }
    addScaled(v, offsets.get(media.modality()), MODALITY_OFFSET);
    addScaled(v, unitGaussian("item:" + media + ":" + name), NOISE);
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return Embedding.of(space, media, out);
  }

  private static void addScaled(double[] acc, double[] dir, double weight) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += weight * dir[i];
    }
  }

  /** A random unit vector, a pure function of the seed and the key (java.util.Random is specified bit for bit). */
  private double[] unitGaussian(String key) {
    Random r = new Random(seed * 31 + fnv1a(key));
    double[] v = new double[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = r.nextGaussian();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dimension; i++) {
      v[i] /= norm;
    }
    return v;
  }

  /** 64-bit FNV-1a of the UTF-8 bytes: spreads similar keys better than String.hashCode. */
  private static long fnv1a(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return "SyntheticJointSpace[space=" + space + ", dimension=" + dimension + ", seed=" + seed
        + ", concepts=" + concepts() + "]";
  }
}
