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
    // exactly one row of dot4 (one accumulator, same order): a row scores the same bits whichever
    // of the two kernels the scan uses for it, so exact ties stay ties
    float a0 = 0;
    for (int i = 0; i < dim; i++) {
      a0 += q[i] * rows.getFloat(byteOffset + 4 * i);
    }
    return a0;
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
    // exactly one row of dot4, as for buffers: equal vectors score the same bits on any path
    float a0 = 0;
    for (int i = 0; i < dim; i++) {
      a0 += q[i] * rows[offset + i];
    }
    return a0;
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
