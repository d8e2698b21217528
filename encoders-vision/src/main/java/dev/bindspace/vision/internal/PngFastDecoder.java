package dev.bindspace.vision.internal;

import dev.bindspace.vision.ImageDecodeOptions;
import dev.bindspace.vision.ImageDecodingException;
import dev.bindspace.vision.ImageDecodingException.Reason;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the common PNGs: 8-bit grey, grey+alpha, RGB and RGBA, not interlaced. It
 * inflates the IDAT stream (the JDK's native zlib) straight into two row buffers and unfilters into the
 * output, skipping ImageIO's raster and colour-model layers (about twice as fast). Everything else
 * (palette, 1/2/4/16-bit, interlaced) returns {@code null} and goes to ImageIO. Chunk layout: 8-byte
 * signature, then chunks of a big-endian u32 length, a 4-byte type, the data and a CRC-32 of type+data;
 * IHDR is width, height (u32 BE), bit depth, colour type, compression, filter, interlace (1 byte each).
 * Like Pillow, the CRCs of chunks before the first IDAT are checked and those of IDAT are not; alpha is
 * dropped; a stream that ends before the last row is an error (Pillow: "image file is truncated").
 */
final class PngFastDecoder {
  private PngFastDecoder() {
  }

  static Pixels decode(byte[] d, String source, ImageDecodeOptions options) {
    if (d.length < 33) {
      return null; // let ImageIO report the details
    }
    int pos = 8;
    int width = 0;
    int height = 0;
    int channels = 0;
    Rows rows = null;
    CRC32 crc = new CRC32();
    try {
      while (pos + 12 <= d.length) {
        long len = u32(d, pos);
        int type = (int) u32(d, pos + 4);
        int data = pos + 8;
        if (len > d.length - data - 4L) {
          if (rows != null) {
            break; // truncated inside the image data: reported below
          }
          throw new ImageDecodingException(source, Reason.CORRUPT, "PNG chunk " + typeName(type) + " of " + len
              + " bytes runs past the end of the file");
        }
        int n = (int) len;
        if (rows == null) {
          crc.reset();
          crc.update(d, pos + 4, n + 4);
          if ((int) crc.getValue() != (int) u32(d, data + n)) {
            throw new ImageDecodingException(source, Reason.CORRUPT, "bad CRC in PNG chunk " + typeName(type));
          }
        }
        if (type == 0x49484452) { // IHDR
          if (n != 13) {
            throw new ImageDecodingException(source, Reason.CORRUPT, "IHDR of " + n + " bytes");
          }
          long w = u32(d, data);
          long h = u32(d, data + 4);
          StillImageDecoder.checkSize(source, w, h, options);
          int bitDepth = d[data + 8] & 0xff;
          int colorType = d[data + 9] & 0xff;
          boolean plain = d[data + 10] == 0 && d[data + 11] == 0 && d[data + 12] == 0;
          channels = switch (colorType) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
          };
          if (bitDepth != 8 || channels == 0 || !plain) {
            return null;
          }
          width = (int) w;
          height = (int) h;
        } else if (type == 0x49444154) { // IDAT
          if (width == 0) {
            throw new ImageDecodingException(source, Reason.CORRUPT, "IDAT before IHDR");
          }
          if (rows == null) {
            rows = new Rows(width, height, channels);
          }
          rows.inf.setInput(d, data, n);
          if (rows.inflate()) {
            return new Pixels(width, height, rows.outChannels, rows.out);
          }
        } else if (type == 0x49454E44) { // IEND
          break;
        }
        pos = data + n + 4;
      }
      if (width == 0) {
        throw new ImageDecodingException(source, Reason.CORRUPT, "no IHDR chunk");
      }
      throw new ImageDecodingException(source, Reason.CORRUPT, "image data ends after "
          + (rows == null ? 0 : rows.row) + " of " + height + " rows (truncated)");
    } catch (DataFormatException e) {
      throw new ImageDecodingException(source, Reason.CORRUPT, "PNG image data: " + e.getMessage(), e);
    } finally {
      if (rows != null) {
        rows.inf.end();
      }
    }
  }

  /** Inflater and row buffers of one decode. */
  private static final class Rows {
    final Inflater inf = new Inflater();
    final int width;
    final int height;
    final int bpp;
    final int rowBytes;
    final int outChannels;
    final byte[] raw;
    byte[] prior;
    byte[] line;
    final byte[] out;
    int fill;
    int row;

    Rows(int width, int height, int bpp) {
      this.width = width;
      this.height = height;
      this.bpp = bpp;
      this.rowBytes = width * bpp;
      this.outChannels = bpp <= 2 ? 1 : 3;
      this.raw = new byte[rowBytes + 1];
      this.prior = new byte[rowBytes];
      this.line = new byte[rowBytes];
      this.out = new byte[width * height * outChannels];
    }

    /** Inflates and unfilters as many rows as the input allows; true when the last row is done. */
    boolean inflate() throws DataFormatException {
      while (row < height) {
        int got = inf.inflate(raw, fill, rowBytes + 1 - fill);
        fill += got;
        if (fill < rowBytes + 1) {
          if (got == 0) {
            return false; // needs the next IDAT (or the stream ended early: reported by the caller)
          }
          continue;
        }
        fill = 0;
        unfilter();
        store();
        byte[] t = prior;
        prior = line;
        line = t;
        row++;
      }
      return true;
    }

    /** PNG filters 0-4 of {@code raw[1..]} against {@code prior} into {@code line}. */
    private void unfilter() throws DataFormatException {
      final byte[] r = raw;
      final byte[] p = prior;
      final byte[] l = line;
      final int n = rowBytes;
      final int b = bpp;
      switch (r[0]) {
        case 0 -> System.arraycopy(r, 1, l, 0, n);
        case 1 -> {
          System.arraycopy(r, 1, l, 0, b);
          for (int i = b; i < n; i++) {
            l[i] = (byte) (r[i + 1] + l[i - b]);
          }
        }
        case 2 -> {
          for (int i = 0; i < n; i++) {
            l[i] = (byte) (r[i + 1] + p[i]);
          }
        }
        case 3 -> {
          for (int i = 0; i < b; i++) {
            l[i] = (byte) (r[i + 1] + ((p[i] & 0xff) >> 1));
          }
          for (int i = b; i < n; i++) {
            l[i] = (byte) (r[i + 1] + (((l[i - b] & 0xff) + (p[i] & 0xff)) >> 1));
          }
        }
        case 4 -> {
          for (int i = 0; i < b; i++) {
            l[i] = (byte) (r[i + 1] + p[i]); // paeth(0, up, 0) = up
          }
          for (int i = b; i < n; i++) {
            l[i] = (byte) (r[i + 1] + paeth(l[i - b] & 0xff, p[i] & 0xff, p[i - b] & 0xff));
          }
        }
        default -> throw new DataFormatException("unknown PNG filter type " + (r[0] & 0xff) + " in row " + row);
      }
    }

    private void store() {
      int o = row * width * outChannels;
      if (bpp == outChannels) {
        System.arraycopy(line, 0, out, o, rowBytes);
        return;
      }
      for (int i = 0; i < rowBytes; i += bpp) {
        for (int c = 0; c < outChannels; c++) {
          out[o++] = line[i + c];
        }
      }
    }
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
  }

  private static long u32(byte[] d, int p) {
    return (d[p] & 0xffL) << 24 | (d[p + 1] & 0xffL) << 16 | (d[p + 2] & 0xffL) << 8 | (d[p + 3] & 0xffL);
  }

  private static String typeName(int t) {
    char[] c = {(char) ((t >>> 24) & 0xff), (char) ((t >>> 16) & 0xff), (char) ((t >>> 8) & 0xff), (char) (t & 0xff)};
    StringBuilder b = new StringBuilder();
    for (char ch : c) {
      b.append(ch >= 32 && ch < 127 ? ch : '?');
    }
    return b.toString();
  }
}
