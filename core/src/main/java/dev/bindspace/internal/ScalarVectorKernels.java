package dev.bindspace.internal;

import java.nio.ByteBuffer;

/** Plain-Java kernels: eight independent accumulators so the adds do not form one dependency chain. */
final class ScalarVectorKernels implements VectorKernels {
  static final ScalarVectorKernels INSTANCE = new ScalarVectorKernels();

  private ScalarVectorKernels() {
  }

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] q, ByteBuffer rows, int byteOffset, int dim) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    int b = byteOffset;
    // unrolled 4x: 4 independent accumulators
    for (; i + 4 <= dim; i += 4, b += 16) {
      a0 += q[i] * rows.getFloat(b);
      a1 += q[i + 1] * rows.getFloat(b + 4);
      a2 += q[i + 2] * rows.getFloat(b + 8);
      a3 += q[i + 3] * rows.getFloat(b + 12);
    }
    for (; i < dim; i++, b += 4) {
      a0 += q[i] * rows.getFloat(b);
    }
    return (a0 + a1) + (a2 + a3);
  }

  @Override
  public void dot4(float[] q, ByteBuffer rows, int byteOffset, int rowBytes, int dim, float[] out, int outOffset) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int b0 = byteOffset;
    int b1 = b0 + rowBytes;
    int b2 = b1 + rowBytes;
    int b3 = b2 + rowBytes;
    // one query load feeds four rows: four independent accumulators
    for (int i = 0; i < dim; i++) {
      float qi = q[i];
      int o = i << 2;
      a0 += qi * rows.getFloat(b0 + o);
      a1 += qi * rows.getFloat(b1 + o);
      a2 += qi * rows.getFloat(b2 + o);
      a3 += qi * rows.getFloat(b3 + o);
    }
    out[outOffset] = a0;
    out[outOffset + 1] = a1;
    out[outOffset + 2] = a2;
    out[outOffset + 3] = a3;
  }

  @Override
  public float dot(float[] a, float[] b) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    for (; i + 4 <= a.length; i += 4) {
      a0 += a[i] * b[i];
      a1 += a[i + 1] * b[i + 1];
      a2 += a[i + 2] * b[i + 2];
      a3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      a0 += a[i] * b[i];
    }
    return (a0 + a1) + (a2 + a3);
  }
}
