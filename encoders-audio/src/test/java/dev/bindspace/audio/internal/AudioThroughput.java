package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.onnx.Preprocessing;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark driver for benchmarks/audio/run_audio_bench.sh (not a test): seconds of audio turned
 * into model input per second, single thread, for one WAV file. Cases: {@code clips3} (ImageBind's 3
 * clips; WAV is seeked, so only the clips are decoded and resampled), {@code clips3-stream} (the whole
 * file decoded and resampled as a stream, then 3 clips), {@code whole} (a profile with enough 2 s
 * clips to cover the whole file: decode + resample + fbank of everything).
 * Usage: {@code AudioThroughput file.wav reps}; prints one line per case.
 */
public final class AudioThroughput {
  private AudioThroughput() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int reps = Integer.parseInt(args[1]);
    double seconds;
    try (var r = dev.bindspace.audio.AudioReader.open(file)) {
      seconds = (double) r.frames() / r.sampleRate();
    }
    int wholeClips = (int) Math.ceil(seconds / 2.0);
    Preprocessing.Audio ib = new Preprocessing.Audio(16000, 128, 204, 2.0, 3, 25.0, 10.0, -4.268, 9.138);
    Preprocessing.Audio whole = new Preprocessing.Audio(16000, 128, 204, 2.0, wholeClips, 25.0, 10.0, -4.268, 9.138);
    run("clips3", new ClipPipeline(ib, AudioOptions.defaults()), file, false, reps, seconds);
    run("clips3-stream", new ClipPipeline(ib, AudioOptions.defaults()), file, true, reps, seconds);
    run("whole", new ClipPipeline(whole, AudioOptions.defaults()), file, false, reps, seconds);
  }

  private static void run(String name, ClipPipeline p, Path file, boolean streaming, int reps, double seconds) {
    ClipPipeline.forceStreaming = streaming;
    double[] t = new double[reps];
    float sink = 0;
    for (int i = 0; i < 3; i++) {
      sink += p.preprocess(AudioInput.file(file))[0];
    }
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      sink += p.preprocess(AudioInput.file(file))[0];
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    ClipPipeline.forceStreaming = false;
    Arrays.sort(t);
    double med = t[reps / 2];
    System.out.printf(Locale.ROOT, "java %-14s median %.4f s  min %.4f s  -> %.1f s of audio per s  (sink %.3f)%n",
        name, med, t[0], seconds / med, sink);
  }
}
