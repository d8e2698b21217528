package dev.bindspace.audio.internal;

/**
 * The float32 summation order of torch 1.13's CPU sum kernel ({@code SumKernel.cpp}) for a
 * contiguous row: {@code LANES}-wide vector accumulators, four interleaved ILP rows, a cascade of
 * four levels every 16 steps, then the scalar tail and the vector lanes folded left to right.
 * Used for the means torch takes in float32 (clip mean, per-frame DC offset) so that the samples
 * after subtraction round exactly as in the reference; a double-precision mean differs in the last
 * bit for most frames, which moves low-energy filterbank cells by up to 2e-4.
 */
public final class TorchSum {
  /** AVX2 {@code Vectorized<float>} width, the capability torch 1.13 dispatches to on x86-64 by default. */
  public static final int LANES = 8;
  private static final int ILP = 4;
  private static final int LEVELS = 4;

  private TorchSum() {}

  /** Scratch size for {@link #sum(float[], int, int, float[])}. */
  public static final int SCRATCH = LEVELS * ILP * LANES;

  /** {@code torch.sum} of {@code x[off .. off+n)} in float32. */
  public static float sum(float[] x, int off, int n) {
    return sum(x, off, n, new float[SCRATCH]);
  }

  /** As {@link #sum(float[], int, int)} with caller-owned scratch of {@link #SCRATCH} floats (no allocation). */
  public static float sum(float[] x, int off, int n, float[] scratch) {
    java.util.Arrays.fill(scratch, 0f);
    return sum(x, off, n, LANES, scratch);
  }

  static float sum(float[] x, int off, int n, int lanes) {
    return sum(x, off, n, lanes, new float[LEVELS * ILP * lanes]);
  }

  /** acc[level][row][lane] lives at scratch[(level * ILP + row) * lanes + lane]. */
  private static float sum(float[] x, int off, int n, int lanes, float[] acc) {
    int vecSize = n / lanes;
    int sizeIlp = vecSize / ILP;
    int levelPower = Math.max(4, ceilLog2(sizeIlp) / LEVELS);
    int levelStep = 1 << levelPower;
    int levelMask = levelStep - 1;
    int i = 0;
    while (i + levelStep <= sizeIlp) {
      for (int j = 0; j < levelStep; j++, i++) {
        addRow(acc, x, off, i, lanes);
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int k = 0; k < ILP; k++) {
          for (int l = 0; l < lanes; l++) {
            acc[(j * ILP + k) * lanes + l] += acc[((j - 1) * ILP + k) * lanes + l];
            acc[((j - 1) * ILP + k) * lanes + l] = 0f;
          }
        }
        int mask = levelMask << (j * levelPower);
        if ((i & mask) != 0) {
          break;
        }
      }
    }
    for (; i < sizeIlp; i++) {
      addRow(acc, x, off, i, lanes);
    }
    for (int j = 1; j < LEVELS; j++) {
      for (int k = 0; k < ILP; k++) {
        for (int l = 0; l < lanes; l++) {
          acc[k * lanes + l] += acc[(j * ILP + k) * lanes + l];
        }
      }
    }
    for (int v = sizeIlp * ILP; v < vecSize; v++) {
      for (int l = 0; l < lanes; l++) {
        acc[l] += x[off + v * lanes + l];
      }
    }
    for (int k = 1; k < ILP; k++) {
      for (int l = 0; l < lanes; l++) {
        acc[l] += acc[k * lanes + l];
      }
    }
    float fin = 0f;
    for (int k = vecSize * lanes; k < n; k++) {
      fin += x[off + k];
    }
    for (int l = 0; l < lanes; l++) {
      fin += acc[l];
    }
    return fin;
  }

  private static void addRow(float[] acc, float[] x, int off, int row, int lanes) {
    for (int k = 0; k < ILP; k++) {
      int base = off + (row * ILP + k) * lanes;
      int a = k * lanes;
      for (int l = 0; l < lanes; l++) {
        acc[a + l] += x[base + l];
      }
    }
  }

  private static int ceilLog2(int x) {
    if (x <= 2) {
      return x <= 1 ? 0 : 1;
    }
    return 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
