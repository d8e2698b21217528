package dev.bindspace.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.audio.AudioPreprocessor;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The three ways samples reach the clips give identical tensors: seeking (WAV, PCM, short
 * compressed files decoded into memory), streaming through the blockwise resampler, and two
 * FFmpeg passes (count, then collect) for long compressed files.
 */
class StreamingPathTest {
  private static float[] run(AudioInput in, boolean streaming) {
    ClipPipeline p = new ClipPipeline(AudioPreprocessor.IMAGEBIND, AudioOptions.defaults());
    ClipPipeline.forceStreaming = streaming;
    try {
      return p.preprocess(in);
    } finally {
      ClipPipeline.forceStreaming = false;
    }
  }

  @Test
  void should_give_the_same_tensor_streaming_or_seeking() {
    long seed = 99;
    System.out.println("seed " + seed);
    Random r = new Random(seed);
    float[][] x = new float[3][(int) (44100 * 9.7)];
    for (float[] c : x) {
      for (int i = 0; i < c.length; i++) {
        c[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.1 * r.nextGaussian() + 0.2);
      }
    }
    AudioInput pcm = AudioInput.pcm(x, 44100);
    assertThat(run(pcm, true)).containsExactly(run(pcm, false));
    for (String f : new String[] {"fmt.ogg", "fmt.opus", "fmt.mp3"}) {
      AudioInput in = AudioInput.file(Path.of("src/test/resources/audio").resolve(f));
      assertThat(run(in, true)).as(f).containsExactly(run(in, false));
    }
  }

  @Test
  void should_match_torchaudio_length_rule_for_many_rates() {
    int[][] cases = {{44100, 16000, 115101, 41760}, {22050, 16000, 72765, 52800}, {8000, 16000, 10000, 20000},
        {48000, 16000, 36000, 12000}, {11025, 16000, 1, 2}, {96000, 16000, 7, 2}};
    for (int[] c : cases) {
      assertThat(new SincResampler(c[0], c[1]).outputLength(c[2])).as(c[0] + "->" + c[1]).isEqualTo(c[3]);
    }
  }
}
