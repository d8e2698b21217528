package dev.bindspace.vision.internal;

import dev.bindspace.vision.ImageDecodingException;
import dev.bindspace.vision.ImageDecodingException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Still images that ImageIO cannot read (WebP; TIFF variants), decoded by FFmpeg through JavaCV from
 * memory with an explicit image-pipe demuxer (no probing of other formats) and converted to RGB24 by
 * swscale (alpha dropped). The grabber is closed on every path.
 */
final class FfmpegStillDecoder {
  static {
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private FfmpegStillDecoder() {
  }

  static Pixels decode(byte[] data, String source, String demuxer, long maxPixels) {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(data), 0);
    try {
      g.setFormat(demuxer);
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      g.setOption("threads", "1");
      g.start();
      long w = g.getImageWidth();
      long h = g.getImageHeight();
      if (w < 1 || h < 1) {
        throw new ImageDecodingException(source, Reason.CORRUPT, "FFmpeg (" + demuxer + ") found no picture");
      }
      if (w * h > maxPixels) {
        throw new ImageDecodingException(source, Reason.TOO_LARGE, w + "x" + h + " pixels, more than the limit "
            + maxPixels);
      }
      Frame f = g.grabImage();
      if (f == null || f.image == null || f.image.length == 0) {
        throw new ImageDecodingException(source, Reason.CORRUPT, "FFmpeg (" + demuxer + ") decoded no frame");
      }
      int fw = f.imageWidth;
      int fh = f.imageHeight;
      int stride = f.imageStride;
      ByteBuffer buf = (ByteBuffer) f.image[0];
      byte[] out = new byte[fw * fh * 3];
      for (int y = 0; y < fh; y++) {
        buf.position(y * stride);
        buf.get(out, y * fw * 3, fw * 3);
      }
      return new Pixels(fw, fh, 3, out);
    } catch (ImageDecodingException e) {
      throw e;
    } catch (Exception e) {
      throw new ImageDecodingException(source, Reason.CORRUPT, "FFmpeg (" + demuxer + "): " + e.getMessage(), e);
    } finally {
      try {
        g.close();
      } catch (Exception e) {
        // closing after a failed start: nothing more to release
      }
    }
  }
}
