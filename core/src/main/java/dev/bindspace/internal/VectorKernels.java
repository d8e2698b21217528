package dev.bindspace.internal;

import java.nio.ByteBuffer;

/**
 * Dot-product kernels over row-major float32 rows held in heap arrays or little-endian (mapped)
 * byte buffers. Two implementations: {@code PanamaVectorKernels} (SIMD through the incubating Vector
 * API, used when the JVM runs with {@code --add-modules jdk.incubator.vector}) and
 * {@link ScalarVectorKernels} (plain Java, always available). {@link #get()} picks one once.
 *
 * <p>Internal API: not for use outside bindspace.
 */
public interface VectorKernels {

  /** System property that forces a kernel: {@code scalar} or {@code panama}. */
  String PROPERTY = "bindspace.kernels";

  /** The kernel chosen for this JVM. */
  static VectorKernels get() {
    return Holder.INSTANCE;
  }

  /** The plain-Java kernel. */
  static VectorKernels scalar() {
    return ScalarVectorKernels.INSTANCE;
  }

  /** Short name, e.g. {@code panama-512} or {@code scalar}. */
  String name();

  /**
   * {@code q · row}, where the row starts at {@code byteOffset} of {@code rows}. Must return
   * bit for bit what {@link #dot4} returns for the same row: scans use {@code dot4} for most rows and
   * this for the rest, and identical vectors must score identically wherever they are stored.
   */
  float dot(float[] q, ByteBuffer rows, int byteOffset, int dim);

  /**
   * Dot products of {@code q} with the four consecutive rows starting at {@code byteOffset},
   * {@code rowBytes} apart, written to {@code out[outOffset .. outOffset+3]}. One pass over the
   * query feeds four independent row streams, which keeps the loop bound by memory.
   */
  void dot4(float[] q, ByteBuffer rows, int byteOffset, int rowBytes, int dim, float[] out, int outOffset);

  /**
   * {@code q · row}, where the row starts at index {@code offset} of {@code rows}. Bit for bit what
   * either {@code dot4} returns for the same row, and what the buffer {@code dot} returns for the
   * same values: a row scores the same wherever and however it is stored.
   */
  float dot(float[] q, float[] rows, int offset, int dim);

  /** As {@link #dot4(float[], ByteBuffer, int, int, int, float[], int)} over a heap array; rows are {@code dim} apart. */
  void dot4(float[] q, float[] rows, int offset, int dim, float[] out, int outOffset);

  /** Lazily initialised choice of kernel. */
  final class Holder {
    static final VectorKernels INSTANCE = choose();

    private Holder() {
    }

    private static VectorKernels choose() {
      String forced = System.getProperty(PROPERTY, "").trim();
      if (forced.equals("scalar")) {
        return ScalarVectorKernels.INSTANCE;
      }
      boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
      if (!present) {
        if (forced.equals("panama")) {
          throw new IllegalStateException(PROPERTY + "=panama needs --add-modules jdk.incubator.vector");
        }
        return ScalarVectorKernels.INSTANCE;
      }
      try {
        return (VectorKernels) Class.forName("dev.bindspace.internal.PanamaVectorKernels")
            .getDeclaredField("INSTANCE").get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        if (forced.equals("panama")) {
          throw new IllegalStateException("Vector API kernels failed to load", e);
        }
        return ScalarVectorKernels.INSTANCE;
      }
    }
  }
}
