import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.ImageDecoder;
import dev.bindspace.vision.ImagePreprocessor;
import dev.bindspace.vision.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.libjpegturbo.turbojpeg.TJ;
import org.libjpegturbo.turbojpeg.TJDecompressor;

/**
 * Probe, outside the Maven build ({@code benchmarks/turbojpeg-probe.sh} compiles and runs it): would a SIMD JPEG
 * decoder bring the still-image pipeline to 2x Pillow? Decodes the eight 1024x768 benchmark JPEGs with Debian's
 * libturbojpeg through its JNI binding (package libturbojpeg-java), checks that the RGB equals bindspace's decoder
 * byte for byte, then times on the calling thread: TurboJPEG decoding, bindspace decoding, bindspace's ImageBind
 * preprocessing of a decoded image, and TurboJPEG decoding followed by that preprocessing (5 rounds, 3 s each).
 */
public final class TurboJpegProbe {
  private TurboJpegProbe() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    byte[][] files = new byte[8][];
    for (int i = 0; i < 8; i++) {
      files[i] = Files.readAllBytes(dir.resolve("img" + i + ".jpg"));
    }
    ImagePreprocessor pre = ImagePreprocessor.of(new Preprocessing.Image(3, 224,
        Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL, Preprocessing.CropMode.CENTER,
        List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711)));
    TJDecompressor tj = new TJDecompressor();
    RgbImage[] ours = new RgbImage[8];
    int differ = 0;
    for (int i = 0; i < 8; i++) {
      ours[i] = ImageDecoder.defaults().decode(files[i], "img" + i + ".jpg");
      tj.setSourceImage(files[i], files[i].length);
      byte[] rgb = tj.decompress(tj.getWidth(), 0, tj.getHeight(), TJ.PF_RGB, 0);
      differ += Arrays.equals(rgb, ours[i].toBytes()) ? 0 : 1;
    }
    System.out.println("files whose TurboJPEG RGB differs from bindspace's decoder: " + differ + " of 8");
    IntConsumer tjDecode = n -> {
      try {
        tj.setSourceImage(files[n & 7], files[n & 7].length);
        tj.decompress(1024, 0, 768, TJ.PF_RGB, 0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    IntConsumer tjAll = n -> {
      try {
        tj.setSourceImage(files[n & 7], files[n & 7].length);
        pre.tensor(RgbImage.of(1024, 768, tj.decompress(1024, 0, 768, TJ.PF_RGB, 0)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    for (int round = 0; round < 5; round++) {
      System.out.printf("round %d: TurboJPEG decode %.2f ms, bindspace decode %.2f ms, bindspace preprocess %.2f ms,"
              + " TurboJPEG decode + bindspace preprocess %.2f ms%n", round, msPerCall(tjDecode),
          msPerCall(n -> ImageDecoder.defaults().decode(files[n & 7], "bench")),
          msPerCall(n -> pre.tensor(ours[n & 7])), msPerCall(tjAll));
    }
  }

  private static double msPerCall(IntConsumer call) {
    long start = System.nanoTime();
    int n = 0;
    while (System.nanoTime() - start < 3_000_000_000L) {
      call.accept(n++);
    }
    return (System.nanoTime() - start) / 1e6 / n;
  }
}
