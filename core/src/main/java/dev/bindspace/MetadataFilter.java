package dev.bindspace;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A predicate over an entry's string metadata, applied inside the search (pre-filtering: a
 * filtered search still returns {@code topK} hits when that many entries match).
 *
 * <pre>{@code
 * MetadataFilter f = MetadataFilter.equalTo("collection", "pets")
 *     .and(MetadataFilter.in("format", Set.of("jpg", "png")));
 * }</pre>
 *
 * <p>Implementations must be thread-safe and side-effect free; they run on search threads.
 */
@FunctionalInterface
public interface MetadataFilter {

  /** Whether an entry with this (unmodifiable) metadata passes. */
  boolean test(Map<String, String> metadata);

  /** Accepts every entry. */
  static MetadataFilter all() {
    return m -> true;
  }

  /** {@code metadata[key] == value}. */
  static MetadataFilter equalTo(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return m -> value.equals(m.get(key));
  }

  /** {@code metadata[key]} is one of {@code values}. */
  static MetadataFilter in(String key, Set<String> values) {
    Objects.requireNonNull(key, "key");
    Set<String> copy = Set.copyOf(values);
    return m -> {
      String v = m.get(key);
      return v != null && copy.contains(v);
    };
  }

  /** The entry has {@code key}. */
  static MetadataFilter hasKey(String key) {
    Objects.requireNonNull(key, "key");
    return m -> m.containsKey(key);
  }

  default MetadataFilter and(MetadataFilter other) {
    Objects.requireNonNull(other, "other");
    return m -> test(m) && other.test(m);
  }

  default MetadataFilter or(MetadataFilter other) {
    Objects.requireNonNull(other, "other");
    return m -> test(m) || other.test(m);
  }

  default MetadataFilter negate() {
    return m -> !test(m);
  }
}
