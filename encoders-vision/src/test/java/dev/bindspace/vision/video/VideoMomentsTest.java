package dev.bindspace.vision.video;

import dev.bindspace.vision.RgbImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.vision.internal.video.DecodedFrame;
import dev.bindspace.vision.internal.video.FfmpegReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoMomentsTest {

  @Test
  void should_embed_timed_windows_of_a_video_the_same_from_file_and_frames() {
    String name = "h264_96x72_2997";
    double fps = 30000.0 / 1001;
    List<RgbImage> frames = new ArrayList<>();
    try (FfmpegReader r = FfmpegReader.open(VideoFixtures.clip(name), 1, () -> false, () -> {})) {
      DecodedFrame f;
      while ((f = r.next(i -> true)) != null) {
        frames.add(RgbImage.of(f.width(), f.height(), f.rgb()));
      }
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(VideoFixtures.bundle("mini-video"));
        VideoEncoder enc = VideoEncoder.of(model, VideoOptions.builder().clipsInFlight(2).build())) {
      VideoMoments moments = enc.moments(1.0, 0.5);
      List<Moment> fromFile = moments.embed(VideoSource.of(VideoFixtures.clip(name)));
      List<Moment> fromFrames = moments.embed(VideoSource.ofFrames(frames, fps));
      double duration = 93 / fps;
      assertThat(fromFile).extracting(Moment::startSeconds).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, duration - 1.0);
      assertThat(fromFile.get(5).endSeconds()).isEqualTo(duration);
      assertThat(fromFile).hasSameSizeAs(fromFrames);
      for (int i = 0; i < fromFile.size(); i++) {
        assertThat(fromFile.get(i).embedding().toArray()).containsExactly(fromFrames.get(i).embedding().toArray());
        assertThat(fromFile.get(i).embedding().dimension()).isEqualTo(8);
        assertThat(fromFile.get(i).embedding().media()).isEqualTo(dev.bindspace.MediaKind.VIDEO);
      }
      // different moments of a moving clip differ
      assertThat(fromFile.get(0).embedding().toArray()).isNotEqualTo(fromFile.get(4).embedding().toArray());
      assertThatThrownBy(() -> enc.moments(0, 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("windowSeconds");
    }
  }
}
