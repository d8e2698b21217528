package dev.bindspace;

import java.lang.reflect.Field;

/**
 * White-box probes of {@link FlatIndex} for tests that must prove they exercised an internal path
 * (compaction). Reflection on private fields: update here if FlatIndex's snapshot changes.
 */
final class FlatIndexInternals {
  private FlatIndexInternals() {
  }

  /** Rows held by the current snapshot, live and tombstoned; equals {@code size()} right after a compaction. */
  static int storedRows(FlatIndex index) {
    try {
      Field f = FlatIndex.class.getDeclaredField("snapshot");
      f.setAccessible(true);
      Object snapshot = f.get(index);
      Field rows = snapshot.getClass().getDeclaredField("rows");
      rows.setAccessible(true);
      return rows.getInt(snapshot);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("FlatIndex internals changed; update FlatIndexInternals", e);
    }
  }
}
