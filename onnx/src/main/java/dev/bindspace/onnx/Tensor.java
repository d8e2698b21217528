package dev.bindspace.onnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable dense tensor, row-major, of {@code float32} or {@code int64} values: the input of
 * a {@link TensorEncoder}. Arrays are copied in and out.
 */
public final class Tensor {
  private final TensorType type;
  private final long[] shape;
  private final float[] floats;
  private final long[] longs;

  private Tensor(TensorType type, long[] shape, float[] floats, long[] longs) {
    this.type = type;
    this.shape = shape;
    this.floats = floats;
    this.longs = longs;
  }

  /**
   * A float32 tensor.
   *
   * @throws IllegalArgumentException if the element count differs from the shape's product or a value is not finite
   */
  public static Tensor ofFloats(long[] shape, float[] values) {
    long[] s = checkShape(shape, values.length);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException("tensor value at index " + i + " is " + values[i] + ", expected finite");
      }
    }
    return new Tensor(TensorType.FLOAT32, s, values.clone(), null);
  }

  /** An int64 tensor (e.g. token ids {@code (77)}). */
  public static Tensor ofLongs(long[] shape, long[] values) {
    long[] s = checkShape(shape, values.length);
    return new Tensor(TensorType.INT64, s, null, values.clone());
  }

  private static long[] checkShape(long[] shape, int count) {
    Objects.requireNonNull(shape, "shape");
    long n = 1;
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("tensor dimensions must be positive, got " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != count) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got " + count);
    }
    return shape.clone();
  }

  public TensorType type() {
    return type;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int size() {
    return type == TensorType.FLOAT32 ? floats.length : longs.length;
  }

  /** A copy of the float values. @throws IllegalStateException for an int64 tensor */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("tensor is " + type.manifestName() + ", not float32");
    }
    return floats.clone();
  }

  /** A copy of the int64 values. @throws IllegalStateException for a float32 tensor */
  public long[] longs() {
    if (longs == null) {
      throw new IllegalStateException("tensor is " + type.manifestName() + ", not int64");
    }
    return longs.clone();
  }

  /** Copies {@code count} values from {@code offset} into {@code dest} at {@code destOffset}. */
  void copyFloats(int offset, float[] dest, int destOffset, int count) {
    System.arraycopy(floats, offset, dest, destOffset, count);
  }

  void putFloats(int offset, java.nio.FloatBuffer dest, int count) {
    dest.put(floats, offset, count);
  }

  void copyLongs(int offset, long[] dest, int destOffset, int count) {
    System.arraycopy(longs, offset, dest, destOffset, count);
  }

  @Override
  public String toString() {
    return "Tensor[" + type.manifestName() + Arrays.toString(shape) + "]";
  }
}
