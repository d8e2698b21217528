package dev.bindspace.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the incubating Vector API (JDK 17+). Only loaded when the module
 * {@code jdk.incubator.vector} is in the boot layer; see {@link VectorKernels#get()}.
 */
final class PanamaVectorKernels implements VectorKernels {
  static final PanamaVectorKernels INSTANCE = new PanamaVectorKernels();

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private PanamaVectorKernels() {
  }

  @Override
  public String name() {
    return "panama-" + S.vectorBitSize();
  }

  @Override
  public float dot(float[] q, ByteBuffer rows, int byteOffset, int dim) {
    // exactly one row of dot4 (one FMA chain, same reduction, same tail): a row scores the same
    // bits whichever of the two kernels the scan uses for it, so exact ties stay ties
    FloatVector a0 = FloatVector.zero(S);
    int i = 0;
    int bound = dim - dim % L;
    for (; i < bound; i += L) {
      a0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromByteBuffer(S, rows, byteOffset + 4 * i, LE), a0);
    }
    float s = a0.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      s += q[i] * rows.getFloat(byteOffset + 4 * i);
    }
    return s;
  }

  @Override
  public void dot4(float[] q, ByteBuffer rows, int byteOffset, int rowBytes, int dim, float[] out, int outOffset) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound = dim - dim % L;
    // one query vector load feeds four row streams: four independent FMA chains, memory-bound
    for (; i < bound; i += L) {
      FloatVector qv = FloatVector.fromArray(S, q, i);
      int b = byteOffset + 4 * i;
      a0 = qv.fma(FloatVector.fromByteBuffer(S, rows, b, LE), a0);
      a1 = qv.fma(FloatVector.fromByteBuffer(S, rows, b + rowBytes, LE), a1);
      a2 = qv.fma(FloatVector.fromByteBuffer(S, rows, b + 2 * rowBytes, LE), a2);
      a3 = qv.fma(FloatVector.fromByteBuffer(S, rows, b + 3 * rowBytes, LE), a3);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD);
    float s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD);
    float s3 = a3.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float qi = q[i];
      int b = byteOffset + 4 * i;
      s0 += qi * rows.getFloat(b);
      s1 += qi * rows.getFloat(b + rowBytes);
      s2 += qi * rows.getFloat(b + 2 * rowBytes);
      s3 += qi * rows.getFloat(b + 3 * rowBytes);
    }
    out[outOffset] = s0;
    out[outOffset + 1] = s1;
    out[outOffset + 2] = s2;
    out[outOffset + 3] = s3;
  }

  @Override
  public float dot(float[] q, float[] rows, int offset, int dim) {
    // exactly one row of dot4, as for buffers: equal vectors score the same bits on any path
    FloatVector a0 = FloatVector.zero(S);
    int i = 0;
    int bound = dim - dim % L;
    for (; i < bound; i += L) {
      a0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromArray(S, rows, offset + i), a0);
    }
    float s = a0.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      s += q[i] * rows[offset + i];
    }
    return s;
  }

  @Override
  public void dot4(float[] q, float[] rows, int offset, int dim, float[] out, int outOffset) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int o1 = offset + dim;
    int o2 = o1 + dim;
    int o3 = o2 + dim;
    int i = 0;
    int bound = dim - dim % L;
    // one query vector load feeds four row streams: four independent FMA chains, memory-bound
    for (; i < bound; i += L) {
      FloatVector qv = FloatVector.fromArray(S, q, i);
      a0 = qv.fma(FloatVector.fromArray(S, rows, offset + i), a0);
      a1 = qv.fma(FloatVector.fromArray(S, rows, o1 + i), a1);
      a2 = qv.fma(FloatVector.fromArray(S, rows, o2 + i), a2);
      a3 = qv.fma(FloatVector.fromArray(S, rows, o3 + i), a3);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD);
    float s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD);
    float s3 = a3.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float qi = q[i];
      s0 += qi * rows[offset + i];
      s1 += qi * rows[o1 + i];
      s2 += qi * rows[o2 + i];
      s3 += qi * rows[o3 + i];
    }
    out[outOffset] = s0;
    out[outOffset + 1] = s1;
    out[outOffset + 2] = s2;
    out[outOffset + 3] = s3;
  }
}
