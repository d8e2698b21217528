package dev.bindspace.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SincResampler#outputs}: its interleaved fast path (four outputs' tap chains at once, no zero-padding checks)
 * must give exactly, bit for bit, what {@link SincResampler#output} gives one output at a time, for any window of
 * the input and any range of outputs, including ranges that start or end inside a block and windows that end in
 * the zero padding.
 */
class SincResamplerTest {
  private static final int[][] RATES = {{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 16000},
      {32000, 16000}, {11025, 16000}, {96000, 16000}, {16001, 16000}};

  @Test
  void should_equal_the_per_output_arithmetic_bit_for_bit() {
    long seed = new Random().nextLong();
    System.out.println("SincResamplerTest seed: " + seed);
    Random rnd = new Random(seed);
    for (int[] r : RATES) {
      SincResampler rs = new SincResampler(r[0], r[1]);
      for (int trial = 0; trial < 6; trial++) {
        int n = 1000 + rnd.nextInt(60_000);
        float[] signal = new float[n];
        for (int i = 0; i < n; i++) {
          signal[i] = (float) (0.5 * Math.sin(i * 0.01 * (1 + trial)) + 0.3 * rnd.nextGaussian());
        }
        long outLen = rs.outputLength(n);
        // a window [xStart, xStart + xLen) of the input, as the streaming and seeking readers hold
        int xStart = trial == 0 ? 0 : rnd.nextInt(n / 2);
        int xLen = trial == 0 ? n : 1 + rnd.nextInt(n - xStart);
        float[] x = java.util.Arrays.copyOfRange(signal, xStart, xStart + xLen);
        long j0 = trial == 0 ? 0 : rnd.nextInt((int) outLen);
        int count = trial == 0 ? (int) outLen : 1 + rnd.nextInt((int) (outLen - j0));
        float[] got = new float[count + 3];
        rs.outputs(j0, count, x, xStart, xLen, n, got, 3);
        for (int k = 0; k < count; k++) {
          float want = rs.output(j0 + k, x, xStart, xLen, n);
          if (Float.floatToRawIntBits(got[3 + k]) != Float.floatToRawIntBits(want)) {
            throw new AssertionError(String.format("%d -> %d Hz, trial %d (seed %d): output %d is %s, expected %s",
                r[0], r[1], trial, seed, j0 + k, got[3 + k], want));
          }
        }
        assertThat(got[0]).isZero();
      }
    }
  }
}
