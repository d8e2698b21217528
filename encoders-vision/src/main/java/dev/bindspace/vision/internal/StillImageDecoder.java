package dev.bindspace.vision.internal;

import dev.bindspace.vision.ImageDecodeOptions;
import dev.bindspace.vision.ImageDecodingException;
import dev.bindspace.vision.ImageDecodingException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Decodes a still image to {@link Pixels} exactly as Pillow 9.4's {@code Image.open(f).convert("RGB")}
 * would see it (greyscale sources stay single-channel). JPEG, PNG, GIF, BMP and TIFF go through the
 * JDK's ImageIO readers, whose raw samples are mapped with Pillow's per-mode rules (never through
 * Java colour management); WebP (and TIFF that ImageIO cannot read) goes through FFmpeg. The pixel
 * limit is checked on the header before pixels are decoded; every failure becomes an
 * {@link ImageDecodingException}. Stateless and thread-safe.
 */
public final class StillImageDecoder {
  private StillImageDecoder() {
  }

  /** Decodes {@code data}; {@code source} names it in errors. */
  public static Pixels decode(byte[] data, String source, ImageDecodeOptions options) {
    if (data.length == 0) {
      throw new ImageDecodingException(source, Reason.EMPTY, "0 bytes");
    }
    ImageFormat format = ImageFormat.sniff(data);
    try {
      return decode(data, format, source, options);
    } catch (OutOfMemoryError e) {
      // one large allocation failed (the image buffer); nothing else is left half-built
      throw new ImageDecodingException(source, Reason.TOO_LARGE, "not enough Java heap to decode this " + format
          + " (" + data.length + " bytes); raise -Xmx or lower ImageDecodeOptions.maxPixels (now "
          + options.maxPixels() + ")", e);
    }
  }

  private static Pixels decode(byte[] data, ImageFormat format, String source, ImageDecodeOptions options) {
    Pixels p = switch (format) {
      case UNKNOWN -> throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT,
          "the content is none of JPEG, PNG, GIF, BMP, TIFF, WebP (first bytes " + hex(data, 8) + ")");
      case WEBP -> {
        Headers.Size s = Headers.webp(data);
        if (s == null) {
          throw new ImageDecodingException(source, Reason.CORRUPT, "no VP8, VP8L or VP8X chunk at the start of the WebP");
        }
        checkSize(source, s.width(), s.height(), options);
        yield FfmpegStillDecoder.decode(data, source, "webp_pipe", options.maxPixels());
      }
      case TIFF -> {
        try {
          yield decodeImageIo(data, format, source, options);
        } catch (ImageDecodingException e) {
          if (e.reason() != Reason.UNSUPPORTED_FORMAT) {
            throw e;
          }
          yield FfmpegStillDecoder.decode(data, source, "tiff_pipe", options.maxPixels());
        }
      }
      case PNG -> {
        Pixels fast = PngFastDecoder.decode(data, source, options);
        yield fast != null ? fast : decodeImageIo(data, format, source, options);
      }
      default -> decodeImageIo(data, format, source, options);
    };
    if (format == ImageFormat.JPEG && options.exifOrientation() == ImageDecodeOptions.ExifOrientation.APPLY) {
      p = Orientation.apply(p, Headers.jpeg(data).exifOrientation());
    }
    return p;
  }

  static void checkSize(String source, long w, long h, ImageDecodeOptions options) {
    if (w < 1 || h < 1) {
      throw new ImageDecodingException(source, Reason.CORRUPT, "the header declares a size of " + w + "x" + h);
    }
    if (w * h > (Integer.MAX_VALUE - 16) / 4) {
      // 4 bytes per pixel must fit one Java array (RGBA rasters, RGB output plus rows)
      throw new ImageDecodingException(source, Reason.TOO_LARGE, "the header declares " + w + "x" + h + " = "
          + w * h + " pixels, more than a Java array can hold at 4 bytes per pixel");
    }
    if (w * h > options.maxPixels()) {
      throw new ImageDecodingException(source, Reason.TOO_LARGE, "the header declares " + w + "x" + h + " = "
          + w * h + " pixels, more than the limit of " + options.maxPixels()
          + " (ImageDecodeOptions.maxPixels)");
    }
  }

  private static Pixels decodeImageIo(byte[] data, ImageFormat format, String source, ImageDecodeOptions options) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
    }
    if (format == ImageFormat.BMP || format == ImageFormat.JPEG) {
      // ImageIO rejects some impossible sizes as corrupt (BMP data too short, JPEG without a scan);
      // report what the header claims first
      Headers.Size s = format == ImageFormat.BMP ? Headers.bmp(data)
          : new Headers.Size(Headers.jpeg(data).width(), Headers.jpeg(data).height());
      if (s != null && s.pixels() > options.maxPixels()) {
        checkSize(source, s.width(), s.height(), options);
      }
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      boolean needMetadata = format == ImageFormat.GIF || format == ImageFormat.PNG;
      reader.setInput(in, true, !needMetadata);
      String[] warning = new String[1];
      reader.addIIOReadWarningListener(new IIOReadWarningListener() {
        @Override
        public void warningOccurred(ImageReader r, String message) {
          if (warning[0] == null) {
            warning[0] = message;
          }
        }
      });
      long w = reader.getWidth(0);
      long h = reader.getHeight(0);
      if (format == ImageFormat.GIF) {
        Headers.Size screen = Headers.gifScreen(data);
        checkSize(source, Math.max(w, screen.width()), Math.max(h, screen.height()), options);
      }
      checkSize(source, w, h, options);
      Pixels p = switch (format) {
        case JPEG -> jpeg(reader, data, source);
        case PNG -> png(reader, data, source);
        case GIF -> gif(reader, data, source);
        default -> generic(reader.read(0), source);
      };
      if (warning[0] != null) {
        // ImageIO fills a truncated JPEG with grey and only warns; Pillow refuses it ("image file is truncated")
        throw new ImageDecodingException(source, Reason.CORRUPT, warning[0]);
      }
      return p;
    } catch (ImageDecodingException e) {
      throw e;
    } catch (javax.imageio.IIOException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Unsupported") || m.contains("unsupported") || m.contains("not supported")) {
        throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT, format + ": " + m, e);
      }
      throw new ImageDecodingException(source, Reason.CORRUPT, format + ": " + m, e);
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodingException(source, Reason.CORRUPT, format + ": " + e, e);
    } finally {
      reader.dispose();
    }
  }

  // ---------------------------------------------------------------- JPEG

  private static Pixels jpeg(ImageReader reader, byte[] data, String source) throws IOException {
    Headers.JpegInfo info = Headers.jpeg(data);
    if (info.components() == 4 || reader.getRawImageType(0) == null) {
      // CMYK / YCCK: ImageIO has no destination type; take the raw samples and do what libjpeg + Pillow do
      Raster r = reader.readRaster(0, null);
      if (r.getNumBands() != 4) {
        throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT,
            "JPEG with " + r.getNumBands() + " components and no supported colour space");
      }
      return cmykJpeg(r, info.adobeTransform() == 2);
    }
    if (info.icc() && info.components() == 3) {
      // ImageIO would convert from the embedded profile to sRGB; Pillow ignores ICC profiles. Take the
      // upsampled raw samples and apply libjpeg's own YCbCr->RGB (none for Adobe transform 0 = RGB).
      Raster r = reader.readRaster(0, null);
      int w = r.getWidth();
      int h = r.getHeight();
      byte[] raw = bytes8(r, new int[] {0, 1, 2});
      if (info.adobeTransform() == 0) {
        return new Pixels(w, h, 3, raw);
      }
      byte[] out = new byte[raw.length];
      for (int i = 0; i < raw.length; i += 3) {
        LibJpeg.yccToRgb(raw[i] & 0xff, raw[i + 1] & 0xff, raw[i + 2] & 0xff, out, i);
      }
      return new Pixels(w, h, 3, out);
    }
    BufferedImage img = reader.read(0);
    Raster r = img.getRaster();
    if (r.getNumBands() == 1) {
      return new Pixels(r.getWidth(), r.getHeight(), 1, bytes8(r, new int[] {0}));
    }
    // 3 components: libjpeg's YCbCr->RGB (or none for Adobe RGB); the raw samples, no ICC conversion
    return new Pixels(r.getWidth(), r.getHeight(), 3, bytes8(r, new int[] {0, 1, 2}));
  }

  /**
   * Pillow opens every 4-component JPEG with rawmode {@code CMYK;I}: libjpeg's CMYK output (YCCK
   * converted to CMYK by libjpeg's {@code ycck_cmyk_convert}) inverted; then {@code cmyk2rgb}.
   */
  private static Pixels cmykJpeg(Raster r, boolean ycck) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * 4];
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int b = x * 4;
        if (ycck) {
          LibJpeg.ycckToCmyk(row[b], row[b + 1], row[b + 2], row[b + 3], px);
        } else {
          px[0] = row[b];
          px[1] = row[b + 1];
          px[2] = row[b + 2];
          px[3] = row[b + 3];
        }
        // CMYK;I: Pillow's value = 255 - libjpeg output
        cmykToRgb(255 - px[0], 255 - px[1], 255 - px[2], 255 - px[3], out, (y * w + x) * 3);
      }
    }
    return new Pixels(w, h, 3, out);
  }

  /** Pillow's {@code cmyk2rgb}: {@code nk = 255 - K; out = clip(nk - MULDIV255(c, nk))}. */
  static void cmykToRgb(int c, int m, int yy, int k, byte[] out, int o) {
    int nk = 255 - k;
    out[o] = (byte) clip8(nk - muldiv255(c, nk));
    out[o + 1] = (byte) clip8(nk - muldiv255(m, nk));
    out[o + 2] = (byte) clip8(nk - muldiv255(yy, nk));
  }

  private static int muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  }

  private static int clip8(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }

  // ---------------------------------------------------------------- PNG

  /**
   * Pillow's PNG modes by IHDR colour type and bit depth: grey 1/2/4/8 → L (low depths scaled to 0..255),
   * grey 16 → mode I then clipped to 0..255 by convert; RGB/RGBA/grey+alpha 16 → high byte; palette →
   * palette colour, tRNS ignored; alpha dropped, never composited.
   */
  private static Pixels png(ImageReader reader, byte[] data, String source) throws IOException {
    if (data.length < 29) {
      throw new ImageDecodingException(source, Reason.CORRUPT, "PNG shorter than its IHDR chunk");
    }
    int bitDepth = data[24] & 0xff;
    int colorType = data[25] & 0xff;
    BufferedImage img = reader.read(0);
    Raster r = img.getRaster();
    int w = r.getWidth();
    int h = r.getHeight();
    switch (colorType) {
      case 0, 4 -> {
        if (bitDepth == 16) {
          return new Pixels(w, h, 1, colorType == 0 ? clip16(r) : high16(r, new int[] {0}));
        }
        if (bitDepth == 8) {
          return new Pixels(w, h, 1, bytes8(r, new int[] {0}));
        }
        int max = (1 << bitDepth) - 1;
        byte[] out = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
          r.getSamples(0, y, w, 1, 0, row);
          for (int x = 0; x < w; x++) {
            out[y * w + x] = (byte) (row[x] * 255 / max);
          }
        }
        return new Pixels(w, h, 1, out);
      }
      case 2, 6 -> {
        int[] bands = {0, 1, 2};
        return new Pixels(w, h, 3, bitDepth == 16 ? high16(r, bands) : bytes8(r, bands));
      }
      case 3 -> {
        int entries = pngPaletteEntries(reader.getImageMetadata(0));
        return palette(r, (IndexColorModel) img.getColorModel(), entries, 0, 0, w, h, -1);
      }
      default -> throw new ImageDecodingException(source, Reason.CORRUPT, "PNG colour type " + colorType);
    }
  }

  /** Number of PLTE entries (ImageIO pads a short palette with its last colour; Pillow does not). */
  private static int pngPaletteEntries(IIOMetadata md) {
    Node root = md.getAsTree("javax_imageio_png_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("PLTE")) {
        int count = 0;
        for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
          count++;
        }
        return count;
      }
    }
    return 256;
  }

  // ---------------------------------------------------------------- GIF

  /**
   * Frame 0 only. Pillow's image is the logical screen; pixels outside the first frame hold the
   * transparency index if the frame declares one, else index 0; colours come from the frame's palette
   * and transparency is ignored by {@code convert("RGB")}.
   */
  private static Pixels gif(ImageReader reader, byte[] data, String source) throws IOException {
    BufferedImage frame = reader.read(0);
    Headers.Size screen = Headers.gifScreen(data);
    int left = 0;
    int top = 0;
    int transparent = -1;
    Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      NamedNodeMap a = n.getAttributes();
      if (n.getNodeName().equals("ImageDescriptor")) {
        left = Integer.parseInt(a.getNamedItem("imageLeftPosition").getNodeValue());
        top = Integer.parseInt(a.getNamedItem("imageTopPosition").getNodeValue());
      } else if (n.getNodeName().equals("GraphicControlExtension")
          && Boolean.parseBoolean(a.getNamedItem("transparentColorFlag").getNodeValue())) {
        transparent = Integer.parseInt(a.getNamedItem("transparentColorIndex").getNodeValue());
      }
    }
    int sw = (int) Math.max(1, screen.width());
    int sh = (int) Math.max(1, screen.height());
    if (!(frame.getColorModel() instanceof IndexColorModel icm)) {
      return generic(frame, source);
    }
    return palette(frame.getRaster(), icm, icm.getMapSize(), left, top, sw, sh,
        transparent >= 0 ? transparent : 0);
  }

  /**
   * Palette lookup into a {@code outW × outH} canvas with the frame raster at ({@code left}, {@code top});
   * outside it the canvas holds index {@code fill}. Indexes at or past {@code entries} get Pillow's
   * initial grey ramp (i, i, i).
   */
  private static Pixels palette(Raster r, IndexColorModel icm, int entries, int left, int top, int outW,
      int outH, int fill) {
    int n = icm.getMapSize();
    byte[] reds = new byte[n];
    byte[] greens = new byte[n];
    byte[] blues = new byte[n];
    icm.getReds(reds);
    icm.getGreens(greens);
    icm.getBlues(blues);
    byte[] lut = new byte[256 * 3];
    for (int i = 0; i < 256; i++) {
      boolean in = i < Math.min(entries, n);
      lut[i * 3] = in ? reds[i] : (byte) i;
      lut[i * 3 + 1] = in ? greens[i] : (byte) i;
      lut[i * 3 + 2] = in ? blues[i] : (byte) i;
    }
    byte[] out = new byte[outW * outH * 3];
    if (fill >= 0) {
      int f = fill & 0xff;
      for (int i = 0; i < outW * outH; i++) {
        out[i * 3] = lut[f * 3];
        out[i * 3 + 1] = lut[f * 3 + 1];
        out[i * 3 + 2] = lut[f * 3 + 2];
      }
    }
    int w = r.getWidth();
    int h = r.getHeight();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int oy = y + top;
      if (oy < 0 || oy >= outH) {
        continue;
      }
      r.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int ox = x + left;
        if (ox < 0 || ox >= outW) {
          continue;
        }
        int idx = row[x] & 0xff;
        int o = (oy * outW + ox) * 3;
        out[o] = lut[idx * 3];
        out[o + 1] = lut[idx * 3 + 1];
        out[o + 2] = lut[idx * 3 + 2];
      }
    }
    return new Pixels(outW, outH, 3, out);
  }

  // ---------------------------------------------------------------- BMP, TIFF, others

  /**
   * By colour model: palette → colours (alpha ignored); packed (BMP 16/32-bit) → each field scaled as
   * Pillow does, {@code v·255/(2^bits−1)} truncated; grey → 8-bit as is, 16-bit clipped; RGB → 8-bit as
   * is, 16-bit high byte; CMYK → Pillow's {@code cmyk2rgb}. Anything else falls back to ImageIO's
   * sRGB conversion ({@code getRGB}).
   */
  static Pixels generic(BufferedImage img, String source) {
    Raster r = img.getRaster();
    ColorModel cm = img.getColorModel();
    int w = r.getWidth();
    int h = r.getHeight();
    if (cm instanceof IndexColorModel icm) {
      return palette(r, icm, icm.getMapSize(), 0, 0, w, h, -1);
    }
    if (cm instanceof DirectColorModel dcm) {
      int[] bits = dcm.getComponentSize();
      byte[] out = new byte[w * h * 3];
      int nb = r.getNumBands();
      int[] row = new int[w * nb];
      for (int y = 0; y < h; y++) {
        r.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            int max = (1 << bits[c]) - 1;
            out[(y * w + x) * 3 + c] = (byte) (bits[c] == 8 ? row[x * nb + c] : row[x * nb + c] * 255 / max);
          }
        }
      }
      return new Pixels(w, h, 3, out);
    }
    int type = cm.getColorSpace().getType();
    boolean wide = r.getTransferType() == DataBuffer.TYPE_USHORT;
    boolean bytes = r.getTransferType() == DataBuffer.TYPE_BYTE;
    if (type == ColorSpace.TYPE_GRAY && (bytes || wide)) {
      return new Pixels(w, h, 1, wide ? clip16(r) : bytes8(r, new int[] {0}));
    }
    if (type == ColorSpace.TYPE_RGB && r.getNumBands() >= 3 && (bytes || wide)) {
      int[] bands = {0, 1, 2};
      return new Pixels(w, h, 3, wide ? high16(r, bands) : bytes8(r, bands));
    }
    if (type == ColorSpace.TYPE_CMYK && r.getNumBands() >= 4 && bytes) {
      byte[] out = new byte[w * h * 3];
      int nb = r.getNumBands();
      int[] row = new int[w * nb];
      for (int y = 0; y < h; y++) {
        r.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int b = x * nb;
          cmykToRgb(row[b], row[b + 1], row[b + 2], row[b + 3], out, (y * w + x) * 3);
        }
      }
      return new Pixels(w, h, 3, out);
    }
    byte[] out = new byte[w * h * 3];
    int[] argb = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, argb, 0, w);
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        out[o] = (byte) (argb[x] >> 16);
        out[o + 1] = (byte) (argb[x] >> 8);
        out[o + 2] = (byte) argb[x];
      }
    }
    return new Pixels(w, h, 3, out);
  }

  // ---------------------------------------------------------------- raster access

  /** 8-bit samples of {@code bands}, interleaved; direct array access for byte component rasters. */
  static byte[] bytes8(Raster r, int[] bands) {
    int w = r.getWidth();
    int h = r.getHeight();
    int nb = bands.length;
    byte[] out = new byte[w * h * nb];
    if (r.getSampleModel() instanceof ComponentSampleModel csm && r.getDataBuffer() instanceof DataBufferByte dbb
        && dbb.getNumBanks() == 1) {
      byte[] a = dbb.getData();
      int ps = csm.getPixelStride();
      int ss = csm.getScanlineStride();
      int[] offs = csm.getBandOffsets();
      int base = dbb.getOffset() - r.getSampleModelTranslateY() * ss - r.getSampleModelTranslateX() * ps;
      if (nb == 3) {
        int o0 = offs[bands[0]];
        int o1 = offs[bands[1]];
        int o2 = offs[bands[2]];
        int o = 0;
        for (int y = 0; y < h; y++) {
          int p = base + y * ss;
          for (int x = 0; x < w; x++, p += ps) {
            out[o++] = a[p + o0];
            out[o++] = a[p + o1];
            out[o++] = a[p + o2];
          }
        }
        return out;
      }
      int o = 0;
      for (int y = 0; y < h; y++) {
        int p = base + y * ss;
        for (int x = 0; x < w; x++, p += ps) {
          for (int band : bands) {
            out[o++] = a[p + offs[band]];
          }
        }
      }
      return out;
    }
    int[] row = new int[w];
    for (int b = 0; b < nb; b++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, bands[b], row);
        for (int x = 0; x < w; x++) {
          out[(y * w + x) * nb + b] = (byte) row[x];
        }
      }
    }
    return out;
  }

  /** 16-bit samples of {@code bands}, high byte (Pillow's {@code ;16B} raw modes to 8 bits). */
  private static byte[] high16(Raster r, int[] bands) {
    int w = r.getWidth();
    int h = r.getHeight();
    int nb = bands.length;
    byte[] out = new byte[w * h * nb];
    int[] row = new int[w];
    for (int b = 0; b < nb; b++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, bands[b], row);
        for (int x = 0; x < w; x++) {
          out[(y * w + x) * nb + b] = (byte) (row[x] >>> 8);
        }
      }
    }
    return out;
  }

  /** Band 0 of a 16-bit grey raster, clipped to 0..255 (Pillow mode I or I;16 → L/RGB). */
  private static byte[] clip16(Raster r) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) Math.min(255, row[x]);
      }
    }
    return out;
  }

  private static String hex(byte[] d, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(n, d.length); i++) {
      b.append(String.format("%02x", d[i] & 0xff));
    }
    return b.toString();
  }
}
