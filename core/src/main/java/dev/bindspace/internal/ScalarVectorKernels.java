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
  public float dot(float[] q, float[] rows, int offset, int dim) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    // unrolled 4x: 4 independent accumulators
    for (; i + 4 <= dim; i += 4) {
      a0 += q[i] * rows[offset + i];
      a1 += q[i + 1] * rows[offset + i + 1];
      a2 += q[i + 2] * rows[offset + i + 2];
      a3 += q[i + 3] * rows[offset + i + 3];
    }
    for (; i < dim; i++) {
      a0 += q[i] * rows[offset + i];
    }
    return (a0 + a1) + (a2 + a3);
  }

  @Override
  public void dot4(float[] q, float[] rows, int offset, int dim, float[] out, int outOffset) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int o1 = offset + dim;
    int o2 = o1 + dim;
    int o3 = o2 + dim;
    // one query load feeds four rows: four independent accumulators
    for (int i = 0; i < dim; i++) {
      float qi = q[i];
      a0 += qi * rows[offset + i];
      a1 += qi * rows[o1 + i];
      a2 += qi * rows[o2 + i];
      a3 += qi * rows[o3 + i];
    }
    out[outOffset] = a0;
    out[outOffset + 1] = a1;
    out[outOffset + 2] = a2;
    out[outOffset + 3] = a3;
  }
}
