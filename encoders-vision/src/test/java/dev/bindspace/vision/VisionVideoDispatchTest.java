package dev.bindspace.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.vision.internal.video.DecodedFrame;
import dev.bindspace.vision.internal.video.FfmpegReader;
import dev.bindspace.vision.video.VideoEncoder;
import dev.bindspace.vision.video.VideoOptions;
import dev.bindspace.vision.video.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VISION encoder dispatches video inputs to the bundle's video graph and keeps the input order. */
class VisionVideoDispatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path resource(String p) throws Exception {
    return Path.of(VisionVideoDispatchTest.class.getResource(p).toURI());
  }

  /** mini128's image graph plus mini-video's video graph, one bundle. */
  private static Path imageAndVideoBundle(Path dir) throws Exception {
    Path image = resource("/bundles/mini128");
    Path video = resource("/video/bundles/mini-video");
    Files.copy(image.resolve("image.onnx"), dir.resolve("image.onnx"));
    Files.copy(video.resolve("video.onnx"), dir.resolve("video.onnx"));
    ObjectNode a = (ObjectNode) JSON.readTree(image.resolve("bundle.json").toFile());
    ObjectNode b = (ObjectNode) JSON.readTree(video.resolve("bundle.json").toFile());
    ObjectNode graphs = JSON.createObjectNode();
    graphs.set("image", a.get("graphs").get("image"));
    graphs.set("video", b.get("graphs").get("video"));
    a.set("graphs", graphs);
    ((ObjectNode) a.get("license")).remove("file");
    Files.write(dir.resolve("bundle.json"), JSON.writeValueAsBytes(a));
    return dir;
  }

  @Test
  @SuppressWarnings("unchecked")
  void should_send_videos_to_the_video_graph_and_images_to_the_image_graph(@TempDir Path dir) throws Exception {
    Path clip = resource("/video/clips/h264_64x48_25.mp4");
    Path picture = resource("/vision-goldens/inputs/b01_bmp24_80x60.bmp");
    List<RgbImage> frames = new ArrayList<>();
    try (FfmpegReader r = FfmpegReader.open(clip, 1, () -> false, () -> {})) {
      DecodedFrame f;
      while ((f = r.next(i -> true)) != null) {
        frames.add(RgbImage.of(f.width(), f.height(), f.rgb()));
      }
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(imageAndVideoBundle(dir));
        VideoEncoder direct = VideoEncoder.of(model, VideoOptions.defaults())) {
      OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
      assertThat(((VisionEncoder) vision).video()).isPresent();
      List<EmbeddingResult> rs = vision.encodeAll(List.of(VisionInput.video(clip), VisionInput.file(picture),
          VisionInput.video(frames, 25.0)));
      float[] want = direct.encode(VideoSource.of(clip)).raw().toArray();
      assertThat(rs.get(0).raw().toArray()).containsExactly(want);
      assertThat(rs.get(2).raw().toArray()).containsExactly(want);
      assertThat(rs.get(0).raw().media()).isEqualTo(MediaKind.VIDEO);
      assertThat(rs.get(1).raw().media()).isEqualTo(MediaKind.IMAGE);
      assertThat(rs.get(1).raw().toArray()).containsExactly(vision.encode(VisionInput.file(picture)).raw().toArray());
      assertThat(model.encoder(Modality.VISION).modality()).isEqualTo(Modality.VISION);
      assertThatThrownBy(() -> vision.embed(VisionInput.video(dir.resolve("missing.mp4"))))
          .isInstanceOf(EncodingException.class).hasMessageContaining("missing.mp4");
    }
  }

  @Test
  void should_say_why_a_video_cannot_be_embedded_without_a_video_graph() throws Exception {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(resource("/bundles/mini128"))) {
      OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
      assertThatThrownBy(() -> vision.embed(VisionInput.video(resource("/video/clips/vp8_64x48_24.webm"))))
          .isInstanceOf(EncodingException.class).hasMessageContaining("no video graph");
      assertThat(VisionInput.video(List.of(RgbImage.of(1, 1, new byte[3])), 1).kind())
          .isEqualTo(VisionInput.Kind.VIDEO_FRAMES);
    }
  }
}
