package dev.bindspace.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken, hostile and degenerate inputs: typed errors naming the file, finite outputs, limits. */
class BadInputTest {
  @TempDir Path dir;

  /** A valid 16-bit stereo 8 kHz WAV of {@code frames} frames. */
  static byte[] wav(int tag, int channels, int rate, int bits, int blockAlign, int frames, boolean withData) {
    int dataBytes = frames * Math.max(blockAlign, 1);
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) channels).putInt(rate)
        .putInt(rate * Math.max(blockAlign, 1)).putShort((short) blockAlign).putShort((short) bits);
    if (withData) {
      b.put("data".getBytes()).putInt(dataBytes);
      Random r = new Random(frames);
      for (int i = 0; i < dataBytes / 2; i++) {
        b.putShort((short) (r.nextGaussian() * 3000));
      }
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  static byte[] goodWav() {
    return wav(1, 2, 8000, 16, 4, 4000, true);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void should_turn_100_broken_files_into_typed_errors_naming_the_file() throws Exception {
    long seed = 20261128L;
    System.out.println("BadInputTest seed " + seed);
    Random rnd = new Random(seed);
    List<Path> files = new ArrayList<>();
    byte[] good = goodWav();
    // 1. truncations of a valid WAV at 40 offsets: inside the header, the fmt chunk and the data
    int[] cuts = {1, 3, 4, 8, 11, 12, 15, 16, 20, 24, 28, 34, 36, 40, 43, 44, 45, 46, 48, 100};
    for (int c : cuts) {
      files.add(write("trunc_hdr_" + c + ".wav", Arrays.copyOf(good, c)));
    }
    for (int i = 0; i < 20; i++) {
      int c = 44 + 1 + rnd.nextInt(good.length - 46);
      files.add(write("trunc_data_" + i + "_" + c + ".wav", Arrays.copyOf(good, c)));
    }
    // 2. zero bytes under every extension
    for (String ext : new String[] {"wav", "mp3", "ogg", "flac", "m4a", "opus", "mp4", "wave"}) {
      files.add(write("empty." + ext, new byte[0]));
    }
    // 3. random bytes named like audio
    for (String ext : new String[] {"wav", "mp3", "ogg", "flac", "m4a", "opus"}) {
      for (int i = 0; i < (ext.equals("m4a") || ext.equals("opus") ? 2 : 5); i++) {
        byte[] junk = new byte[64 + rnd.nextInt(4096)];
        rnd.nextBytes(junk);
        files.add(write("random_" + i + "." + ext, junk));
      }
    }
    // 4. RIFF/WAVE headers that lie
    ByteBuffer huge = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
    huge.putInt(40, 0x7FFFFFF0);
    files.add(write("huge_data_size.wav", huge.array()));
    files.add(write("zero_channels.wav", wav(1, 0, 8000, 16, 0, 10, true)));
    files.add(write("zero_rate.wav", wav(1, 1, 0, 16, 2, 10, true)));
    files.add(write("bits_0.wav", wav(1, 1, 8000, 0, 0, 10, true)));
    files.add(write("bad_block_align.wav", wav(1, 2, 8000, 16, 3, 10, true)));
    files.add(write("float_16bit.wav", wav(3, 1, 8000, 16, 2, 10, true)));
    files.add(write("unknown_codec_0x1234.wav", wav(0x1234, 1, 8000, 16, 2, 10, true)));
    byte[] bigFmt = good.clone();
    ByteBuffer.wrap(bigFmt).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 100000);
    files.add(write("fmt_size_beyond_file.wav", bigFmt));
    files.add(write("extensible_16_byte_fmt.wav", wav(0xFFFE, 1, 8000, 16, 2, 10, true)));
    ByteBuffer list = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
    list.put(36, (byte) 'L').put(37, (byte) 'I').put(38, (byte) 'S').put(39, (byte) 'T');
    files.add(write("list_chunk_swallows_data.wav", list.array()));
    files.add(write("no_data_chunk.wav", wav(1, 1, 8000, 16, 2, 0, false)));
    files.add(write("no_samples.wav", wav(1, 1, 8000, 16, 2, 0, true)));
    files.add(write("header_only.wav", Arrays.copyOf(good, 12)));
    byte[] avi = good.clone();
    System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
    files.add(write("riff_avi.wav", avi));
    byte[] dataFirst = good.clone();
    System.arraycopy("data".getBytes(), 0, dataFirst, 12, 4);
    files.add(write("data_before_fmt.wav", dataFirst));
    byte[] smallFmt = good.clone();
    ByteBuffer.wrap(smallFmt).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 8);
    files.add(write("fmt_8_bytes.wav", smallFmt));
    ByteBuffer ext = ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN);
    ext.put("RIFF".getBytes()).putInt(60).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(40)
        .putShort((short) 0xFFFE).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .putShort((short) 22).putShort((short) 16).putInt(4).put(new byte[16]).put("data".getBytes()).putInt(0);
    files.add(write("extensible_bad_guid.wav", ext.array()));
    // 5. valid RIFF/WAVE magic followed by garbage chunks
    for (int i = 0; i < 5; i++) {
      byte[] g = new byte[12 + 200 + rnd.nextInt(400)];
      rnd.nextBytes(g);
      System.arraycopy(good, 0, g, 0, 12);
      files.add(write("riff_garbage_" + i + ".wav", g));
    }
    // 6. compressed fixtures cut to their first bytes
    for (String f : new String[] {"fmt.mp3", "fmt.ogg", "fmt.flac", "fmt.m4a", "fmt.opus", "fmt.mp4"}) {
      byte[] src = Files.readAllBytes(TestAudio.resource("audio/" + f));
      files.add(write("cut16_" + f, Arrays.copyOf(src, 16)));
    }
    assertThat(files).hasSize(100);

    AudioPreprocessor pre = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND);
    Map<AudioDecodingException.Reason, Integer> reasons = new EnumMap<>(AudioDecodingException.Reason.class);
    List<String> notRejected = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      for (Path f : files) {
        try {
          pre.preprocess(AudioInput.file(f));
          notRejected.add(f.getFileName().toString());
        } catch (AudioDecodingException e) {
          assertThat(e.getMessage()).as(f.toString()).contains(f.getFileName().toString());
          assertThat(e.source()).isEqualTo(f.toString());
          reasons.merge(e.reason(), 1, Integer::sum);
        }
      }
    });
    System.out.println("broken files by reason: " + reasons);
    assertThat(notRejected).as("files decoded without error").isEmpty();
  }

  @Test
  void should_give_finite_features_for_silence_dc_and_full_scale_input() {
    AudioPreprocessor pre = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND);
    float[][] silence = new float[1][48000];
    float[][] dc = new float[2][48000];
    float[][] square = new float[1][48000];
    Arrays.fill(dc[0], 0.5f);
    Arrays.fill(dc[1], -1f);
    for (int i = 0; i < square[0].length; i++) {
      square[0][i] = (i / 20) % 2 == 0 ? 1e6f : -1e6f;
    }
    for (float[][] x : List.of(silence, dc, square)) {
      float[] t = pre.preprocess(AudioInput.pcm(x, 16000));
      for (float v : t) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  @Test
  void should_enforce_the_maximum_duration_and_the_decode_timeout() throws IOException {
    Path f = write("ok.wav", goodWav()); // 0.5 s
    AudioPreprocessor shortMax = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND,
        AudioOptions.builder().maxDuration(Duration.ofMillis(100)).build());
    assertThatThrownBy(() -> shortMax.preprocess(AudioInput.file(f)))
        .isInstanceOfSatisfying(AudioDecodingException.class, e -> assertThat(e.reason()).isEqualTo(AudioDecodingException.Reason.TOO_LONG))
        .hasMessageContaining("ok.wav");
    assertThatThrownBy(() -> shortMax.preprocess(AudioInput.file(TestAudio.resource("audio/fmt.mp3"))))
        .isInstanceOfSatisfying(AudioDecodingException.class, e -> assertThat(e.reason()).isEqualTo(AudioDecodingException.Reason.TOO_LONG));
    AudioPreprocessor noTime = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND,
        AudioOptions.builder().decodeTimeout(Duration.ofNanos(1)).build());
    assertThatThrownBy(() -> noTime.preprocess(AudioInput.file(f)))
        .isInstanceOfSatisfying(AudioDecodingException.class, e -> assertThat(e.reason()).isEqualTo(AudioDecodingException.Reason.TIMEOUT));
    assertThatThrownBy(() -> AudioOptions.builder().maxDuration(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
  }

  @Test
  void should_read_every_pcm_width_with_torchaudio_scaling() throws IOException {
    // 8-bit unsigned, 24-bit, 32-bit int and float64, one sample each way
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    Path u8 = write("u8.wav", withData(wav(1, 1, 8000, 8, 1, 0, false), new byte[] {0, (byte) 128, (byte) 255, 64}));
    try (AudioReader r = AudioReader.open(u8)) {
      assertThat(TestAudio.readAll(r)[0]).containsExactly(-1f, 0f, 127f / 128f, -0.5f);
    }
    Path s24 = write("s24.wav", withData(wav(1, 1, 8000, 24, 3, 0, false), new byte[] {0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F}));
    try (AudioReader r = AudioReader.open(s24)) {
      assertThat(TestAudio.readAll(r)[0]).containsExactly(-1f, (float) (8388607 / 8388608.0));
    }
    b.putInt(0, Integer.MAX_VALUE);
    Path s32 = write("s32.wav", withData(wav(1, 1, 8000, 32, 4, 0, false), b.array().clone()));
    try (AudioReader r = AudioReader.open(s32)) {
      assertThat(TestAudio.readAll(r)[0]).containsExactly(1f);
    }
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN).putDouble(0.25);
    Path f64 = write("f64.wav", withData(wav(3, 1, 8000, 64, 8, 0, false), d.array()));
    try (AudioReader r = AudioReader.open(f64)) {
      assertThat(TestAudio.readAll(r)[0]).containsExactly(-1f, 0.25f);
    }
  }

  @Test
  void should_validate_inputs_and_options_with_the_bad_value_in_the_message() {
    assertThatThrownBy(() -> AudioInput.pcm(new float[0][], 16000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one channel");
    assertThatThrownBy(() -> AudioInput.pcm(new float[][] {{0f}, {0f, 1f}}, 16000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 1 has 2 samples");
    assertThatThrownBy(() -> AudioInput.pcm(new float[][] {{0f, Float.NaN}}, 16000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> AudioInput.pcm(new float[][] {{0f}}, 0)).hasMessageContaining("got 0");
    assertThatThrownBy(() -> AudioPreprocessor.of(new dev.bindspace.onnx.Preprocessing.Audio(16000, 3, 10, 1.0, 1, 25.0,
        10.0, 0.0, 1.0))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
    float[][] none = {new float[0]};
    assertThatThrownBy(() -> AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND).preprocess(AudioInput.pcm(none, 16000)))
        .isInstanceOfSatisfying(AudioDecodingException.class, e -> assertThat(e.reason()).isEqualTo(AudioDecodingException.Reason.EMPTY))
        .hasMessageContaining("pcm input");
  }

  private static byte[] withData(byte[] header, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(header.length + 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header).put("data".getBytes()).putInt(data.length).put(data);
    return b.array();
  }
}
