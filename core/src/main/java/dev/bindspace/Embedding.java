package dev.bindspace;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A point in a joint embedding space: float32 values, the id of the space they live in (for
 * example {@code imagebind-huge} or {@code bindspace-mini-v1}), and the kind of media they came
 * from.
 *
 * <p>Instances are immutable: the array is copied on the way in ({@link #of}) and on the way out
 * ({@link #toArray()}). Every value must be finite. Arithmetic returns new embeddings and refuses
 * to mix dimensions or spaces, naming both sides:
 *
 * <pre>{@code
 * Embedding dog = Embedding.of("bindspace-mini-v1", MediaKind.IMAGE, imageVector);
 * Embedding bark = Embedding.of("bindspace-mini-v1", MediaKind.AUDIO, audioVector);
 * Embedding query = dog.normalize().add(bark.normalize());   // image + sound, labelled IMAGE
 * double similarity = dog.cosine(bark);                        // in [-1, 1]
 * }</pre>
 *
 * <p><b>Labels of arithmetic results.</b> A result keeps the space of its operands and takes the
 * media kind of the receiver (the first operand of {@link #sum}/{@link #mean}): {@code image.add(sound)}
 * is an {@code IMAGE}-labelled query. The label only describes the vector; searches choose their
 * targets explicitly with {@link SearchRequest.Builder#targetModalities}.
 *
 * <p>Arithmetic is computed in double precision and rounded to float32 once per element.
 */
public final class Embedding {
  private static final double NORMALIZED_TOLERANCE = 1e-5;

  private final String space;
  private final MediaKind media;
  private final float[] values;

  private Embedding(String space, MediaKind media, float[] values) {
    this.space = space;
    this.media = media;
    this.values = values;
  }

  /**
   * An embedding of the default media kind of {@code modality} ({@code IMAGE} for {@code VISION}).
   *
   * @throws IllegalArgumentException if the space is blank, the array empty, or a value is NaN or infinite
   */
  public static Embedding of(String space, Modality modality, float[] values) {
    Objects.requireNonNull(modality, "modality");
    return of(space, MediaKind.of(modality), values);
  }

  /**
   * An embedding of the given media kind; {@code values} is copied.
   *
   * @throws IllegalArgumentException if the space is blank, the array empty, or a value is NaN or infinite
   */
  public static Embedding of(String space, MediaKind media, float[] values) {
    Objects.requireNonNull(values, "values");
    return create(space, media, values.clone());
  }

  private static Embedding create(String space, MediaKind media, float[] owned) {
    checkSpace(space);
    Objects.requireNonNull(media, "media");
    if (owned.length == 0) {
      throw new IllegalArgumentException("embedding must have at least one dimension, got 0");
    }
    for (int i = 0; i < owned.length; i++) {
      if (!Float.isFinite(owned[i])) {
        throw new IllegalArgumentException(
            "embedding value at index " + i + " is " + owned[i] + ", expected a finite float");
      }
    }
    return new Embedding(space, media, owned);
  }

  /**
   * Checks a joint-space id: 1..255 bytes of UTF-8, no control characters.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static String checkSpace(String space) {
    Objects.requireNonNull(space, "space");
    if (space.isBlank()) {
      throw new IllegalArgumentException("space id must not be blank, got '" + space + "'");
    }
    if (space.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("space id must be at most 255 UTF-8 bytes, got '" + space + "'");
    }
    for (int i = 0; i < space.length(); i++) {
      if (Character.isISOControl(space.charAt(i))) {
        throw new IllegalArgumentException("space id must not contain control characters, got '" + space + "'");
      }
    }
    return space;
  }

  /** The joint-space id, e.g. {@code bindspace-mini-v1}. Embeddings of different spaces never mix. */
  public String space() {
    return space;
  }

  /** The encoder tower this embedding came from ({@code VISION} for images and videos). */
  public Modality modality() {
    return media.modality();
  }

  /** What this embedding was computed from; {@link MediaKind#VIDEO} marks a video. */
  public MediaKind media() {
    return media;
  }

  /** The number of dimensions. */
  public int dimension() {
    return values.length;
  }

  /** The value at {@code index}. */
  public float get(int index) {
    if (index < 0 || index >= values.length) {
      throw new IndexOutOfBoundsException("index " + index + " out of range [0, " + values.length + ")");
    }
    return values[index];
  }

  /** A fresh copy of the values. */
  public float[] toArray() {
    return values.clone();
  }

  /** Copies the values into {@code dest} starting at {@code offset}. */
  public void copyTo(float[] dest, int offset) {
    System.arraycopy(values, 0, dest, offset, values.length);
  }

  /** The same vector, relabelled with another media kind of the same space. */
  public Embedding withMedia(MediaKind newMedia) {
    Objects.requireNonNull(newMedia, "media");
    return newMedia == media ? this : new Embedding(space, newMedia, values);
  }

  /** The Euclidean (L2) norm. */
  public double norm() {
    double s = 0;
    for (float v : values) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  /** Whether the L2 norm is 1 within {@value #NORMALIZED_TOLERANCE}. */
  public boolean isNormalized() {
    return Math.abs(norm() - 1.0) <= NORMALIZED_TOLERANCE;
  }

  /** The dot product. */
  public double dot(Embedding other) {
    checkCompatible(other);
    double s = 0;
    for (int i = 0; i < values.length; i++) {
      s += (double) values[i] * other.values[i];
    }
    return s;
  }

  /**
   * The cosine similarity in [-1, 1], the score every bindspace search reports.
   *
   * @throws IllegalArgumentException if either vector is zero (the cosine is undefined)
   */
  public double cosine(Embedding other) {
    checkCompatible(other);
    double na = norm();
    double nb = other.norm();
    if (na == 0 || nb == 0) {
      throw new IllegalArgumentException("cosine is undefined for a zero vector (norms " + na + " and " + nb + ")");
    }
    double c = dot(other) / (na * nb);
    return Math.max(-1.0, Math.min(1.0, c));
  }

  /** Element-wise sum; labelled like {@code this}. */
  public Embedding add(Embedding other) {
    checkCompatible(other);
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) ((double) values[i] + other.values[i]);
    }
    return derived(r);
  }

  /** Element-wise difference {@code this - other}; labelled like {@code this}. */
  public Embedding subtract(Embedding other) {
    checkCompatible(other);
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) ((double) values[i] - other.values[i]);
    }
    return derived(r);
  }

  /** Every value multiplied by {@code factor}. */
  public Embedding scale(double factor) {
    if (!Double.isFinite(factor)) {
      throw new IllegalArgumentException("scale factor must be finite, got " + factor);
    }
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) (values[i] * factor);
    }
    return derived(r);
  }

  /**
   * This vector scaled to unit L2 norm. Idempotent up to float rounding.
   *
   * @throws IllegalArgumentException for the zero vector, which has no direction
   */
  public Embedding normalize() {
    double n = norm();
    if (n == 0) {
      throw new IllegalArgumentException("cannot normalize a zero vector of dimension " + values.length);
    }
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) (values[i] / n);
    }
    return derived(r);
  }

  /** Linear interpolation {@code (1-t)·this + t·other}; {@code t} in [0, 1]. */
  public Embedding lerp(Embedding other, double t) {
    checkCompatible(other);
    checkUnitInterval(t);
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) ((1 - t) * values[i] + t * other.values[i]);
    }
    return derived(r);
  }

  /**
   * Spherical linear interpolation between the directions of {@code this} and {@code other}; the
   * result has unit norm. {@code t = 0} gives {@code this.normalize()}, {@code t = 1} gives
   * {@code other.normalize()}. Nearly parallel directions fall back to a normalised lerp.
   *
   * @throws IllegalArgumentException if a vector is zero or the two are opposite (the great circle is undefined)
   */
  public Embedding slerp(Embedding other, double t) {
    checkCompatible(other);
    checkUnitInterval(t);
    double na = norm();
    double nb = other.norm();
    if (na == 0 || nb == 0) {
      throw new IllegalArgumentException("slerp is undefined for a zero vector (norms " + na + " and " + nb + ")");
    }
    double cos = Math.max(-1.0, Math.min(1.0, dot(other) / (na * nb)));
    double theta = Math.acos(cos);
    if (Math.PI - theta < 1e-6) {
      throw new IllegalArgumentException("slerp is undefined between opposite directions (cosine " + cos + ")");
    }
    double wa;
    double wb;
    if (theta < 1e-6) {
      wa = 1 - t;
      wb = t;
    } else {
      double s = Math.sin(theta);
      wa = Math.sin((1 - t) * theta) / s;
      wb = Math.sin(t * theta) / s;
    }
    double[] r = new double[values.length];
    double n2 = 0;
    for (int i = 0; i < r.length; i++) {
      r[i] = wa * values[i] / na + wb * other.values[i] / nb;
      n2 += r[i] * r[i];
    }
    double n = Math.sqrt(n2);
    float[] out = new float[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = (float) (r[i] / n);
    }
    return derived(out);
  }

  /** The element-wise sum of {@code embeddings}; labelled like the first. */
  public static Embedding sum(List<Embedding> embeddings) {
    return weighted(embeddings, null, false);
  }

  /** {@code Σ weights[i]·embeddings[i]}; labelled like the first. */
  public static Embedding sum(List<Embedding> embeddings, double[] weights) {
    Objects.requireNonNull(weights, "weights");
    return weighted(embeddings, weights, false);
  }

  /** The element-wise mean (how ImageBind aggregates clips and views); labelled like the first. */
  public static Embedding mean(List<Embedding> embeddings) {
    return weighted(embeddings, null, true);
  }

  /**
   * The weighted mean {@code Σ wᵢ·eᵢ / Σ wᵢ}; weights must be finite, non-negative, not all zero.
   */
  public static Embedding mean(List<Embedding> embeddings, double[] weights) {
    Objects.requireNonNull(weights, "weights");
    return weighted(embeddings, weights, true);
  }

  private static Embedding weighted(List<Embedding> es, double[] w, boolean mean) {
    Objects.requireNonNull(es, "embeddings");
    if (es.isEmpty()) {
      throw new IllegalArgumentException("expected at least one embedding, got an empty list");
    }
    if (w != null && w.length != es.size()) {
      throw new IllegalArgumentException("expected " + es.size() + " weights (one per embedding), got " + w.length);
    }
    Embedding first = Objects.requireNonNull(es.get(0), "embeddings[0]");
    double total = 0;
    for (int j = 0; j < es.size(); j++) {
      Embedding e = Objects.requireNonNull(es.get(j), "embeddings[" + j + "]");
      first.checkCompatible(e);
      double wj = w == null ? 1.0 : w[j];
      if (!Double.isFinite(wj)) {
        throw new IllegalArgumentException("weight " + j + " must be finite, got " + wj);
      }
      if (mean && wj < 0) {
        throw new IllegalArgumentException("mean weights must be non-negative, weight " + j + " is " + wj);
      }
      total += wj;
    }
    if (mean && total == 0) {
      throw new IllegalArgumentException("mean weights sum to zero");
    }
    double[] acc = new double[first.values.length];
    for (int j = 0; j < es.size(); j++) {
      double wj = w == null ? 1.0 : w[j];
      float[] v = es.get(j).values;
      for (int i = 0; i < acc.length; i++) {
        acc[i] += wj * v[i];
      }
    }
    float[] r = new float[acc.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) (mean ? acc[i] / total : acc[i]);
    }
    return first.derived(r);
  }

  private Embedding derived(float[] owned) {
    for (int i = 0; i < owned.length; i++) {
      if (!Float.isFinite(owned[i])) {
        throw new ArithmeticException("result value at index " + i + " overflowed to " + owned[i]);
      }
    }
    return new Embedding(space, media, owned);
  }

  private static void checkUnitInterval(double t) {
    if (!(t >= 0 && t <= 1)) {
      throw new IllegalArgumentException("interpolation parameter must be in [0, 1], got " + t);
    }
  }

  /**
   * Throws unless {@code other} has the same space and dimension.
   *
   * @throws IllegalArgumentException naming both sides
   */
  public void checkCompatible(Embedding other) {
    Objects.requireNonNull(other, "other");
    if (!space.equals(other.space)) {
      throw new IllegalArgumentException(
          "cannot mix joint spaces: '" + space + "' and '" + other.space + "'");
    }
    if (values.length != other.values.length) {
      throw new IllegalArgumentException(
          "dimensions differ: " + values.length + " (" + space + ") != " + other.values.length);
    }
  }

  /** Equal when space, media kind and every value (bit for bit) are equal. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Embedding)) {
      return false;
    }
    Embedding e = (Embedding) o;
    return space.equals(e.space) && media == e.media && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * space.hashCode() + media.hashCode()) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Embedding[space=").append(space)
        .append(", media=").append(media).append(", dimension=").append(values.length).append(", values=[");
    int shown = Math.min(4, values.length);
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return b.append(values.length > shown ? ", …]]" : "]]").toString();
  }
}
