package dev.bindspace.text.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded, thread-safe word → token ids cache. When it holds {@code capacity} entries it is
 * emptied and refills (a clear costs one allocation and keeps the hot words of the current text
 * coming back at once; an LRU would cost a lock or a queue on every hit). Cached arrays are shared
 * and must not be modified.
 */
public final class TokenCache {
  private final int capacity;
  private final ConcurrentHashMap<String, int[]> map;

  /** {@code capacity} 0 disables caching. */
  public TokenCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("cache capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    this.map = capacity == 0 ? null : new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
  }

  public int[] get(String word) {
    return map == null ? null : map.get(word);
  }

  public void put(String word, int[] ids) {
    if (map == null) {
      return;
    }
    if (map.size() >= capacity) {
      map.clear();
    }
    map.put(word, ids);
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return map == null ? 0 : map.size();
  }
}
