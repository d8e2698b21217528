package dev.bindspace.vision.internal.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClipPlanTest {

  @Test
  void should_place_five_clips_by_exact_fractions() {
    // 93 frames at 30000/1001 fps: duration 3.1031 s, max start 1.1031 s, step = max start / 4
    ClipPlan p = ClipPlan.imagebind(93, 30000.0 / 1001, 2.0, 5, 2);
    assertThat(p.clips()).hasSize(5);
    assertThat(p.clips().get(0).frames()).containsExactly(0, 59);
    assertThat(p.clips().get(4).frames()).containsExactly(34, 92);
    assertThat(p.clips().get(4).endSeconds()).isEqualTo(93 / (30000.0 / 1001));
  }

  @Test
  void should_repeat_the_whole_video_when_it_is_shorter_than_a_clip() {
    ClipPlan p = ClipPlan.imagebind(36, 24, 2.0, 5, 2);
    for (ClipPlan.Clip c : p.clips()) {
      assertThat(c.startSeconds()).isZero();
      assertThat(c.frames()).containsExactly(0, 35);
    }
  }

  @Test
  void should_subsample_like_torch_linspace() {
    assertThat(ClipPlan.uniformSubsample(60, 2)).containsExactly(0, 59);
    assertThat(ClipPlan.uniformSubsample(30, 4)).containsExactly(0, 9, 19, 29);
    assertThat(ClipPlan.uniformSubsample(1, 3)).containsExactly(0, 0, 0);
    assertThat(ClipPlan.uniformSubsample(7, 1)).containsExactly(0);
  }

  @Test
  void should_cut_windows_on_a_stride_grid_with_a_tail() {
    ClipPlan p = ClipPlan.windows(93, 30000.0 / 1001, 1.0, 0.5, 2);
    double duration = 93 / (30000.0 / 1001);
    assertThat(p.clips()).extracting(ClipPlan.Clip::startSeconds)
        .containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, duration - 1.0);
    assertThat(p.clips().get(p.clips().size() - 1).endSeconds()).isEqualTo(duration);
    ClipPlan shortOne = ClipPlan.windows(10, 25, 2.0, 1.0, 2);
    assertThat(shortOne.clips()).hasSize(1);
    assertThat(shortOne.clips().get(0).endSeconds()).isEqualTo(0.4);
    assertThat(shortOne.clips().get(0).frames()).containsExactly(0, 9);
  }

  @Test
  void should_hold_only_the_frames_of_open_windows() {
    long seed = 7;
    System.out.println("ClipPlanTest seed " + seed);
    Random r = new Random(seed);
    List<RgbImage> frames = new ArrayList<>();
    for (int i = 0; i < 3000; i++) { // 100 s at 30 fps
      byte[] b = new byte[8 * 6 * 3];
      r.nextBytes(b);
      frames.add(RgbImage.of(8, 6, b));
    }
    Preprocessing.Video profile = new Preprocessing.Video(2.0, 5, 4, 4, Preprocessing.ResizeMode.SHORTER_SIDE_BILINEAR,
        Preprocessing.CropMode.CENTER, 1, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
    ClipPlan plan = ClipPlan.windows(frames.size(), 30, 2.0, 1.0, 4);
    ClipAssembler a = new ClipAssembler();
    int[] count = {0};
    a.run(new ListFrameSource(frames, 30), plan, new FrameTransform(profile), 4, (k, c, v) -> count[0]++);
    assertThat(count[0]).isEqualTo(plan.clips().size()).isEqualTo(99);
    // a 2 s window with a 1 s stride overlaps one neighbour: at most 2 windows' frames are held
    assertThat(a.peakCachedFrames()).isLessThanOrEqualTo(8);
  }
}
