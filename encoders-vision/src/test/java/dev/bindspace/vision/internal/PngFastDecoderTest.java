package dev.bindspace.vision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.vision.ImageDecodeOptions;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The direct PNG decoder against ImageIO's reader (mapped with the same Pillow rules). */
class PngFastDecoderTest {

  @Test
  void should_equal_the_imageio_path_on_random_pngs_of_every_fast_colour_type() throws Exception {
    long seed = System.nanoTime();
    System.out.println("PngFastDecoderTest seed " + seed);
    Random rnd = new Random(seed);
    int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY};
    for (int t = 0; t < 24; t++) {
      int w = 1 + rnd.nextInt(120);
      int h = 1 + rnd.nextInt(90);
      BufferedImage img = new BufferedImage(w, h, types[t % types.length]);
      WritableRaster r = img.getRaster();
      int[] px = new int[r.getNumBands()];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int b = 0; b < px.length; b++) {
            // smooth gradients with noise: the writer picks different filters per row
            px[b] = Math.floorMod((x * (b + 1) * 3 + y * 5) + (rnd.nextInt(9) - 4) * (t % 4), 256);
          }
          r.setPixel(x, y, px);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      byte[] png = out.toByteArray();
      Pixels fast = PngFastDecoder.decode(png, "t" + t, ImageDecodeOptions.defaults());
      assertThat(fast).as("seed %d case %d: fast path taken", seed, t).isNotNull();
      byte[] png16 = png.clone();
      // the ImageIO path of StillImageDecoder, forced by asking for it directly
      Pixels slow = ImageIoPath.decode(png16);
      assertThat(fast.channels()).isEqualTo(slow.channels());
      assertThat(fast.data()).as("seed %d case %d (%dx%d type %d)", seed, t, w, h, img.getType())
          .containsExactly(slow.data());
    }
  }

  /** Access to the ImageIO path without the fast decoder. */
  static final class ImageIoPath {
    static Pixels decode(byte[] png) throws Exception {
      var m = StillImageDecoder.class.getDeclaredMethod("decodeImageIo", byte[].class, ImageFormat.class,
          String.class, ImageDecodeOptions.class);
      m.setAccessible(true);
      return (Pixels) m.invoke(null, png, ImageFormat.PNG, "slow", ImageDecodeOptions.defaults());
    }
  }
}
