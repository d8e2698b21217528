package dev.bindspace.vision.internal;

import dev.bindspace.vision.ImageDecodeOptions;
import dev.bindspace.vision.ImageDecodingException;
import dev.bindspace.vision.ImageDecodingException.Reason;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Single-channel PNG or TIFF samples as stored (8 or 16 bit, no clipping or scaling): what
 * {@code np.array(Image.open(f))} gives for a depth map saved as 16-bit PNG.
 */
public final class RawGreyDecoder {
  private RawGreyDecoder() {
  }

  /** Width, height and the row-major samples. */
  public record Samples(int width, int height, int[] values) {
  }

  public static Samples decode(byte[] data, String source, ImageDecodeOptions options) {
    if (data.length == 0) {
      throw new ImageDecodingException(source, Reason.EMPTY, "0 bytes");
    }
    ImageFormat f = ImageFormat.sniff(data);
    if (f != ImageFormat.PNG && f != ImageFormat.TIFF) {
      throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT,
          "a raw depth map must be a single-channel 8/16-bit PNG or TIFF, found " + f);
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(f.imageIoName());
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      StillImageDecoder.checkSize(source, reader.getWidth(0), reader.getHeight(0), options);
      Raster r = reader.read(0).getRaster();
      if (r.getNumBands() != 1) {
        throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT,
            "a raw depth map must have one channel, found " + r.getNumBands());
      }
      int w = r.getWidth();
      int h = r.getHeight();
      return new Samples(w, h, r.getSamples(0, 0, w, h, 0, new int[w * h]));
    } catch (ImageDecodingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodingException(source, Reason.CORRUPT, f + ": " + e, e);
    } finally {
      reader.dispose();
    }
  }
}
