package dev.bindspace.vision.internal;

import dev.bindspace.vision.ImageDecodingException;
import dev.bindspace.vision.ImageDecodingException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Still images that ImageIO cannot read (WebP; TIFF variants), decoded by FFmpeg through JavaCV from
 * memory with an explicit image-pipe demuxer (no probing of other formats). Lossy WebP (planar 4:2:0)
 * is converted with libwebp's own upsampler ({@link LibWebp}); other pixel formats go to RGB24 through
 * swscale (alpha dropped). The grabber is closed on every path.
 */
final class FfmpegStillDecoder {
  private static volatile boolean quiet;

  private FfmpegStillDecoder() {
  }

  static Pixels decode(byte[] data, String source, String demuxer, long maxPixels) {
    try {
      if (!quiet) {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET); // FFmpeg would print decoder complaints to stderr
        quiet = true;
      }
    } catch (LinkageError e) {
      throw new ImageDecodingException(source, Reason.UNSUPPORTED_FORMAT, "decoding " + demuxer.replace("_pipe", "")
          + " needs FFmpeg, whose native library could not be loaded on this platform: " + e, e);
    }
    if (demuxer.equals("webp_pipe")) {
      Pixels p = grab(data, source, demuxer, maxPixels, true);
      if (p != null) {
        return p;
      }
    }
    return grab(data, source, demuxer, maxPixels, false);
  }

  /**
   * One decode. With {@code yuv}, the frame is taken raw and converted with libwebp's upsampler if it
   * is planar 4:2:0 (lossy WebP), else {@code null} is returned; without, swscale makes RGB24 (exact for
   * the RGB/BGRA/grey pixel formats of lossless WebP and TIFF).
   */
  private static Pixels grab(byte[] data, String source, String demuxer, long maxPixels, boolean yuv) {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(data), 0);
    try {
      g.setFormat(demuxer);
      if (yuv) {
        g.setImageMode(FrameGrabber.ImageMode.RAW);
      } else {
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      }
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
      if (yuv) {
        if (!(f.opaque instanceof AVFrame av)) {
          return null;
        }
        int fmt = av.format();
        if (fmt != avutil.AV_PIX_FMT_YUV420P && fmt != avutil.AV_PIX_FMT_YUVA420P) {
          return null;
        }
        int fw = av.width();
        int fh = av.height();
        int cw = (fw + 1) / 2;
        int ch = (fh + 1) / 2;
        int ys = av.linesize(0);
        int us = av.linesize(1);
        if (av.linesize(2) != us || ys < fw || us < cw) {
          return null;
        }
        byte[] y = plane(av.data(0), ys, fh);
        byte[] u = plane(av.data(1), us, ch);
        byte[] v = plane(av.data(2), us, ch);
        return new Pixels(fw, fh, 3, LibWebp.toRgb(y, ys, u, v, us, fw, fh));
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

  private static byte[] plane(BytePointer p, int stride, int rows) {
    byte[] b = new byte[stride * rows];
    p.capacity((long) stride * rows).position(0).get(b);
    return b;
  }
}
