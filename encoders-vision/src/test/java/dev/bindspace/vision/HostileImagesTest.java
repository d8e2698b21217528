package dev.bindspace.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.bindspace.vision.ImageDecodingException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of broken and hostile image files, generated here: zero-byte files, garbage with image
 * extensions, truncations and bit flips of every valid fixture, decompression bombs whose headers
 * claim 100000×100000 (or the format's maximum) pixels. Each must decode or fail with an
 * {@link ImageDecodingException} naming the file — no other exception, no crash, no hang (each file
 * within seconds); bombs must be refused from the header and truncated files must fail (Pillow raises
 * "image file is truncated"; ImageIO only warns on a short JPEG, which the decoder turns into an error).
 * Bit-flipped files may decode: damage inside entropy-coded data is invisible to any decoder.
 */
class HostileImagesTest {
  @TempDir Path dir;

  enum Expect {
    /** Must fail with this reason. */
    EMPTY, TOO_LARGE, UNSUPPORTED, FAIL,
    /** May decode (damage the decoder cannot see) or fail cleanly. */
    EITHER
  }

  record Case(Path file, Expect expect) {
  }

  @Test
  void should_fail_cleanly_on_every_hostile_file() throws IOException {
    long seed = System.nanoTime();
    System.out.println("HostileImagesTest seed " + seed);
    Random rnd = new Random(seed);
    List<Case> cases = new ArrayList<>();
    String[] exts = {"jpg", "png", "gif", "bmp", "tif", "webp"};
    for (String ext : exts) {
      cases.add(new Case(write("empty." + ext, new byte[0]), Expect.EMPTY));
      for (int n : new int[] {1, 7, 100, 4096}) {
        byte[] g = new byte[n];
        rnd.nextBytes(g);
        g[0] = (byte) 0x42; // never a valid magic number by chance ("B" then not "M")
        if (n > 1) {
          g[1] = 0;
        }
        cases.add(new Case(write("garbage" + n + "." + ext, g), Expect.UNSUPPORTED));
      }
      cases.add(new Case(write("text." + ext, "<html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8)),
          Expect.UNSUPPORTED));
    }
    cases.add(new Case(write("pdf.png", "%PDF-1.4\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1)), Expect.UNSUPPORTED));
    cases.add(new Case(write("zip.jpg", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}), Expect.UNSUPPORTED));
    cases.add(new Case(write("elf.gif", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}), Expect.UNSUPPORTED));
    // magic numbers only
    cases.add(new Case(write("magic.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), Expect.FAIL));
    cases.add(new Case(write("magic.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}), Expect.FAIL));
    cases.add(new Case(write("magic.gif", "GIF89a".getBytes(StandardCharsets.US_ASCII)), Expect.FAIL));
    cases.add(new Case(write("magic.bmp", "BM".getBytes(StandardCharsets.US_ASCII)), Expect.FAIL));
    cases.add(new Case(write("magic.tif", new byte[] {'I', 'I', 42, 0}), Expect.FAIL));
    cases.add(new Case(write("magic.webp", "RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.US_ASCII)), Expect.FAIL));
    // decompression bombs: headers claiming huge sizes, tiny files
    cases.add(new Case(write("bomb.png", pngBomb(100_000, 100_000)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb-wide.png", pngBomb(2_000_000_000, 1)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb.gif", gifBomb(65535, 65535)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb.bmp", bmpBomb(100_000, 100_000)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb.jpg", jpegBomb(65535, 65535)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb.tif", tiffBomb(100_000, 100_000)), Expect.TOO_LARGE));
    cases.add(new Case(write("bomb.webp", webpBomb(16384, 16384)), Expect.TOO_LARGE));
    // truncations and bit flips of every valid fixture
    List<Path> valid = new ArrayList<>();
    try (Stream<Path> s = Files.list(OwnGoldenParityTest.DIR.resolve("inputs"))) {
      s.sorted().forEach(valid::add);
    }
    TestData.shared(TestData.GOLDENS + "/inputs/images/a12_jpeg_progressive_q85_333x250.jpg").ifPresent(valid::add);
    TestData.shared(TestData.GOLDENS + "/inputs/images/a13_cmyk_q90_240x180.jpg").ifPresent(valid::add);
    for (Path v : valid) {
      byte[] b = Files.readAllBytes(v);
      String name = v.getFileName().toString();
      for (double frac : new double[] {0.05, 0.5, 0.9}) {
        cases.add(new Case(write("trunc" + (int) (frac * 100) + "-" + name,
            java.util.Arrays.copyOf(b, Math.max(12, (int) (b.length * frac)))), Expect.FAIL));
      }
      byte[] flipped = b.clone();
      for (int k = 0; k < 8; k++) {
        int at = 16 + rnd.nextInt(b.length - 16);
        flipped[at] ^= (byte) (1 << rnd.nextInt(8));
      }
      cases.add(new Case(write("flip-" + name, flipped), Expect.EITHER));
      // the right content under a wrong extension decodes
      cases.add(new Case(write("renamed-" + name + ".jpg", b), null));
    }
    assertThat(cases.size()).isGreaterThanOrEqualTo(100);

    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    int decoded = 0;
    for (Case c : cases) {
      long t0 = System.nanoTime();
      String name = c.file().getFileName().toString();
      try {
        RgbImage img = ImageDecoder.defaults().decode(c.file());
        if (c.expect() != null && c.expect() != Expect.EITHER) {
          fail(name + " decoded to " + img + " but should fail with " + c.expect());
        }
        decoded++;
        if (c.expect() == Expect.EITHER) {
          System.out.println("  decoded despite damage: " + name);
        }
      } catch (ImageDecodingException e) {
        assertThat(e.getMessage()).as(name).contains(c.file().toString());
        assertThat(e.source()).isEqualTo(c.file().toString());
        counts.merge(e.reason(), 1, Integer::sum);
        if (c.expect() == null) {
          fail(name + " is valid but failed: " + e.getMessage());
        }
        switch (c.expect()) {
          case EMPTY -> assertThat(e.reason()).as(name).isEqualTo(Reason.EMPTY);
          case TOO_LARGE -> assertThat(e.reason()).as(name + ": " + e.getMessage()).isEqualTo(Reason.TOO_LARGE);
          case UNSUPPORTED -> assertThat(e.reason()).as(name).isEqualTo(Reason.UNSUPPORTED_FORMAT);
          default -> assertThat(e.reason()).as(name).isNotEqualTo(Reason.EMPTY);
        }
      } catch (RuntimeException | Error e) {
        throw new AssertionError(name + ": not an ImageDecodingException: " + e, e);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as(name + " took " + ms + " ms").isLessThan(10_000);
    }
    System.out.println("hostile files: " + cases.size() + " files, " + decoded + " decoded, failures by reason " + counts);
  }

  @Test
  void should_refuse_images_over_a_configured_limit_before_decoding() {
    ImageDecoder small = ImageDecoder.of(ImageDecodeOptions.builder().maxPixels(1000).build());
    for (String name : new String[] {"b01_bmp24_80x60.bmp", "b04_webp_lossy_q80_80x60.webp", "b06_tiff_lzw_80x60.tif",
        "b08_png_rgb16_80x60.png", "b09_jpeg_exif8_80x60.jpg", "b10_gif_grey_80x60.gif"}) {
      Path f = OwnGoldenParityTest.DIR.resolve("inputs").resolve(name);
      assertThatThrownBy(() -> small.decode(f)).isInstanceOf(ImageDecodingException.class)
          .hasMessageContaining(name).hasMessageContaining("80x60").hasMessageContaining("1000")
          .satisfies(e -> assertThat(((ImageDecodingException) e).reason()).isEqualTo(Reason.TOO_LARGE));
    }
    assertThatThrownBy(() -> ImageDecodeOptions.builder().maxPixels(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void should_turn_a_heap_exhaustion_under_the_pixel_limit_into_a_typed_error() throws IOException {
    // 2,000,000,000 x 1 is refused by the default limit; with the limit lifted it is still refused (no
    // Java array holds it), and a 144-megapixel image fails as a typed error (truncation, or heap on a
    // small machine), never as an OutOfMemoryError
    ImageDecoder unlimited = ImageDecoder.of(ImageDecodeOptions.builder().maxPixels(Long.MAX_VALUE).build());
    Path bomb = write("bomb-unlimited.png", pngBomb(2_000_000_000, 1));
    assertThatThrownBy(() -> unlimited.decode(bomb)).isInstanceOf(ImageDecodingException.class)
        .hasMessageContaining("bomb-unlimited.png").hasMessageContaining("Java array")
        .satisfies(e -> assertThat(((ImageDecodingException) e).reason()).isEqualTo(Reason.TOO_LARGE));
    // under the array limit: 12000 x 12000 x 3 bytes = 432 MB is allocated, then the data runs out
    Path big = write("big-unlimited.png", pngBomb(12_000, 12_000));
    assertThatThrownBy(() -> unlimited.decode(big)).isInstanceOf(ImageDecodingException.class)
        .hasMessageContaining("big-unlimited.png");
  }

  @Test
  void should_report_a_directory_and_a_missing_file() {
    assertThatThrownBy(() -> ImageDecoder.defaults().decode(dir)).isInstanceOf(ImageDecodingException.class)
        .hasMessageContaining("directory");
    assertThatThrownBy(() -> ImageDecoder.defaults().decode(dir.resolve("missing.png")))
        .isInstanceOf(ImageDecodingException.class).hasMessageContaining("missing.png");
  }

  private Path write(String name, byte[] data) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, data);
    return p;
  }

  static byte[] pngBomb(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater d = new Deflater(9);
    d.setInput(new byte[1 << 20]); // a megabyte of zero rows, compressed to ~1 KB
    d.finish();
    byte[] buf = new byte[1 << 16];
    int n = d.deflate(buf);
    chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static byte[] gifBomb(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h)
        .put((byte) 0x80).put((byte) 0).put((byte) 0).put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
    b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  static byte[] bmpBomb(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(54 + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(54 + 16).putInt(0).putInt(54);
    b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 24).putInt(0).putInt(16).putInt(2835)
        .putInt(2835).putInt(0).putInt(0);
    return b.array();
  }

  static byte[] jpegBomb(int w, int h) {
    // SOI, SOF0 claiming w x h with 3 components, then EOI
    return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) (h >> 8), (byte) h,
        (byte) (w >> 8), (byte) w, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, (byte) 0xFF, (byte) 0xD9};
  }

  static byte[] tiffBomb(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * 8 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 8);
    int dataAt = 8 + 2 + 12 * 8 + 4;
    entry(b, 256, 4, w);
    entry(b, 257, 4, h);
    entry(b, 258, 3, 8);
    entry(b, 259, 3, 1);
    entry(b, 262, 3, 1);
    entry(b, 273, 4, dataAt);
    entry(b, 278, 4, h);
    entry(b, 279, 4, 16);
    b.putInt(0);
    return b.array();
  }

  private static void entry(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }

  static byte[] webpBomb(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(30 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(30).put("WEBP".getBytes(StandardCharsets.US_ASCII));
    b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0).put(new byte[3]);
    int wm = w - 1;
    int hm = h - 1;
    b.put((byte) wm).put((byte) (wm >> 8)).put((byte) (wm >> 16)).put((byte) hm).put((byte) (hm >> 8))
        .put((byte) (hm >> 16));
    return b.array();
  }
}
