package dev.bindspace.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-hour recording (a sparse 345 MB WAV of digital silence at 16 kHz) is preprocessed while the
 * thread allocates a few MB: the reader streams blocks and only the clips' samples are kept.
 */
class LongRecordingTest {
  @TempDir Path dir;

  @Test
  void should_preprocess_a_three_hour_wav_in_bounded_memory() throws Exception {
    int rate = 16000;
    long frames = 3L * 3600 * rate;
    long dataBytes = frames * 2;
    Path f = dir.resolve("three_hours.wav");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes()).putInt((int) (36 + dataBytes)).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
          .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
          .put("data".getBytes()).putInt((int) dataBytes);
      raf.write(h.array());
      raf.setLength(44 + dataBytes); // sparse: zeros
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    AudioPreprocessor pre = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND);
    long before = mx.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    float[] x = pre.preprocess(AudioInput.file(f));
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    System.out.printf("3 h WAV: %.1f s, %.1f MB allocated (the decoded waveform would be %.0f MB)%n",
        (System.nanoTime() - t0) / 1e9, allocated / 1e6, frames * 4 / 1e6);
    assertThat(x).hasSize(3 * 128 * 204);
    for (float v : x) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    assertThat(allocated).isLessThan(64L << 20);
  }
}
