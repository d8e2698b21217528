package dev.bindspace.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A graph input or output as the manifest declares it: name, element type and shape. A dimension
 * of {@code -1} is dynamic; bundles use it for the batch axis (dimension 0).
 */
public record TensorSpec(String name, TensorType type, List<Long> shape) {
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = List.copyOf(shape);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    for (long d : shape) {
      if (d < -1 || d == 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has dimension " + d + " in " + shape
            + ", expected a positive size or -1 (dynamic)");
      }
    }
  }

  /** The shape as an array. */
  public long[] shapeArray() {
    long[] s = new long[shape.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = shape.get(i);
    }
    return s;
  }

  /** The shape of one batch item: the shape without its first (batch) dimension. */
  public long[] itemShape() {
    long[] s = shapeArray();
    return java.util.Arrays.copyOfRange(s, 1, s.length);
  }

  @Override
  public String toString() {
    return name + ":" + type.manifestName() + shape;
  }
}
