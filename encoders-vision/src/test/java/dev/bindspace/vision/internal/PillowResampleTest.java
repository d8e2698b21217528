package dev.bindspace.vision.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PillowResampleTest {

  @Test
  void should_give_the_same_pixels_in_a_window_as_in_the_full_resize() {
    long seed = System.nanoTime();
    System.out.println("PillowResampleTest seed " + seed);
    Random rnd = new Random(seed);
    for (int t = 0; t < 60; t++) {
      int w = 1 + rnd.nextInt(300);
      int h = 1 + rnd.nextInt(300);
      int c = 1 + rnd.nextInt(4);
      int ow = 1 + rnd.nextInt(300);
      int oh = 1 + rnd.nextInt(300);
      if (rnd.nextInt(5) == 0) {
        ow = w; // one pass skipped
      } else if (rnd.nextInt(5) == 0) {
        oh = h;
      }
      byte[] src = new byte[w * h * c];
      rnd.nextBytes(src);
      byte[] full = PillowResample.resize8(src, w, h, c, ow, oh);
      int ww = 1 + rnd.nextInt(ow);
      int wh = 1 + rnd.nextInt(oh);
      int x0 = rnd.nextInt(ow - ww + 1);
      int y0 = rnd.nextInt(oh - wh + 1);
      byte[] win = PillowResample.resize8Window(src, w, h, c, ow, oh, x0, y0, ww, wh);
      for (int y = 0; y < wh; y++) {
        byte[] want = Arrays.copyOfRange(full, ((y0 + y) * ow + x0) * c, ((y0 + y) * ow + x0 + ww) * c);
        byte[] got = Arrays.copyOfRange(win, y * ww * c, (y + 1) * ww * c);
        assertThat(got).as("seed %d case %d: %dx%dx%d -> %dx%d window %dx%d at (%d,%d) row %d", seed, t, w, h, c,
            ow, oh, ww, wh, x0, y0, y).containsExactly(want);
      }
    }
  }

  @Test
  void should_keep_a_constant_image_constant_and_skip_identity() {
    byte[] grey = new byte[37 * 23 * 3];
    Arrays.fill(grey, (byte) 200);
    byte[] out = PillowResample.resize8(grey, 37, 23, 3, 101, 9);
    for (byte b : out) {
      assertThat(b & 0xff).isEqualTo(200);
    }
    assertThat(PillowResample.resize8(grey, 37, 23, 3, 37, 23)).isSameAs(grey);
    float[] f = new float[37 * 23];
    Arrays.fill(f, 3.25f);
    for (float v : PillowResample.resizeFloat(f, 37, 23, 10, 80)) {
      assertThat(v).isCloseTo(3.25f, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void should_use_pillows_kernel_and_fixed_point() {
    assertThat(PillowResample.bicubic(0)).isEqualTo(1.0);
    assertThat(PillowResample.bicubic(1)).isEqualTo(0.0);
    assertThat(PillowResample.bicubic(0.5)).isEqualTo(0.5625); // a = -0.5
    assertThat(PillowResample.bicubic(1.5)).isEqualTo(-0.0625);
    assertThat(PillowResample.PRECISION_BITS).isEqualTo(22);
    // downscaling by 4 widens the support to 8 input pixels each side
    PillowResample.Coefficients c = PillowResample.coefficients(1024, 256);
    assertThat(c.ksize).isEqualTo(17);
  }

  @Test
  void should_refuse_bad_arguments_with_the_values() {
    assertThatThrownBy(() -> PillowResample.resize8(new byte[5], 2, 2, 3, 4, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12").hasMessageContaining("5");
    assertThatThrownBy(() -> PillowResample.resize8Window(new byte[12], 2, 2, 3, 4, 4, 3, 0, 2, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
  }

  @Test
  void should_follow_torchvision_size_and_crop_rules() {
    assertThat(TorchvisionGeometry.shortSideSize(320, 350, 224)).containsExactly(224, 245);
    assertThat(TorchvisionGeometry.shortSideSize(469, 280, 224)).containsExactly(375, 224);
    assertThat(TorchvisionGeometry.shortSideSize(256, 256, 224)).containsExactly(224, 224);
    assertThat(TorchvisionGeometry.shortSideSize(50, 30, 224)).containsExactly(373, 224);
    assertThat(TorchvisionGeometry.centerOffset(373, 224)).isEqualTo(74); // 74.5 -> 74
    assertThat(TorchvisionGeometry.centerOffset(375, 224)).isEqualTo(76); // 75.5 -> 76
    assertThat(TorchvisionGeometry.centerOffset(245, 224)).isEqualTo(10); // 10.5 -> 10
  }
}
