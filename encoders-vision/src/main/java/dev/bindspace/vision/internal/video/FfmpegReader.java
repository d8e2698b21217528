package dev.bindspace.vision.internal.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BITEXACT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getColorspaceDetails;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import dev.bindspace.vision.video.VideoDecodeException;
import dev.bindspace.vision.video.VideoInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes the best video stream of a file with FFmpeg's libraries, one frame at a time, converting
 * to packed rgb24 only the frames asked for. Owns every native handle (format contexts, codec
 * context, packet, frame, scaler, pixel buffer) and frees them in {@link #close()}, which is
 * idempotent; a failed open frees what it had made before throwing. Not thread-safe: one thread
 * opens, reads and closes it.
 *
 * <p>Pixel conversion: {@code sws_scale} to {@code rgb24} at the coded size with
 * {@link #SWS_FLAGS} = {@code bicubic+accurate_rnd+full_chroma_int+bitexact}, and the colour
 * matrix and range set as the ffmpeg CLI's {@code scale} filter sets them (matrix from the frame's
 * {@code colorspace}, BT.601 when unspecified; input range from the frame's {@code color_range}
 * when specified). With these flags the frames equal, byte for byte, what
 * {@code ffmpeg -sws_flags bicubic+accurate_rnd+full_chroma_int+bitexact -pix_fmt rgb24 -f rawvideo}
 * writes (tools/goldens/make_video_goldens.py). The CLI's default flags ({@code bicubic} alone)
 * take swscale's fast, SIMD-dependent path, which is not reproducible across FFmpeg builds.
 *
 * <p>Frame count: a first, demux-only pass counts the packets of the stream (decord's
 * {@code len(VideoReader)}), and checks that the data reaches the duration the container
 * declares (so a truncated file fails instead of embedding a fragment).
 */
public final class FfmpegReader implements AutoCloseable {
  /** The swscale flags (see the class comment). */
  public static final int SWS_FLAGS = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_BITEXACT;
  /** Largest frame accepted, in pixels (16384 × 16384). */
  public static final long MAX_PIXELS = 16384L * 16384L;
  private static final int EAGAIN = Loader.getPlatform().startsWith("macosx") ? -35 : -11;
  private static final Map<Long, BooleanSupplier> CANCEL = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();
  private static final Interrupt INTERRUPT;

  static {
    Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
    INTERRUPT = new Interrupt();
  }

  private final String source;
  private final long id;
  private final LongPointer opaque;
  private final Runnable progress;
  private AVFormatContext fmt;
  private AVCodecContext dec;
  private AVPacket pkt;
  private AVFrame frame;
  private SwsContext sws;
  private BytePointer rgbBuf;
  private long rgbBufSize;
  private int swsW = -1;
  private int swsH = -1;
  private int swsFmt = AV_PIX_FMT_NONE;
  private int swsSpace = -1;
  private int swsRange = -1;
  private int stream = -1;
  private VideoInfo info;
  private int nextIndex;
  private boolean draining;
  private boolean finished;
  private int decodeErrors;
  private boolean closed;

  /** FFmpeg calls this from blocking I/O; a non-zero return aborts the operation (AVERROR_EXIT). */
  private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
    @Override
    public int call(Pointer opaque) {
      if (opaque == null || opaque.isNull()) {
        return 0;
      }
      BooleanSupplier c = CANCEL.get(new LongPointer(opaque).get());
      return c != null && c.getAsBoolean() ? 1 : 0;
    }
  }

  private FfmpegReader(Path file, BooleanSupplier cancelled, Runnable progress) {
    this.source = file.toString();
    this.id = IDS.incrementAndGet();
    this.opaque = new LongPointer(1).put(id);
    this.progress = progress;
    CANCEL.put(id, cancelled);
  }

  /**
   * Opens {@code file}, counts its video packets, opens the decoder.
   *
   * @param threads FFmpeg decoder threads (0 = FFmpeg picks)
   * @param cancelled polled by FFmpeg during I/O; true aborts
   * @param progress called after each packet read and frame decoded (a stall watchdog's heartbeat)
   * @throws VideoDecodeException naming the file and the reason
   */
  public static FfmpegReader open(Path file, int threads, BooleanSupplier cancelled, Runnable progress) {
    if (!Files.isRegularFile(file) && !Files.exists(file)) {
      throw new VideoDecodeException(file.toString(), "no such file");
    }
    if (Files.isDirectory(file)) {
      throw new VideoDecodeException(file.toString(), "is a directory, expected a video file");
    }
    FfmpegReader r = new FfmpegReader(file, cancelled, progress);
    try {
      r.openAll(threads);
      return r;
    } catch (RuntimeException | Error e) {
      r.close();
      throw e;
    }
  }

  /** The frame count, rate and size the sampler uses. */
  public VideoInfo info() {
    return info;
  }

  /** How many packets the decoder refused as corrupt so far (FFmpeg conceals and goes on, like the CLI). */
  public int decodeErrors() {
    return decodeErrors;
  }

  private AVFormatContext openFormat() {
    AVFormatContext ctx = avformat_alloc_context();
    if (ctx == null || ctx.isNull()) {
      throw new VideoDecodeException(source, "FFmpeg could not allocate a format context");
    }
    AVIOInterruptCB cb = ctx.interrupt_callback();
    cb.callback(INTERRUPT);
    cb.opaque(opaque);
    int ret = avformat_open_input(ctx, source, null, (AVDictionary) null);
    if (ret < 0) {
      // avformat_open_input frees a user-supplied context on failure
      throw new VideoDecodeException(source, "FFmpeg cannot open it as a media file: " + error(ret)
          + sizeHint());
    }
    ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
    if (ret < 0) {
      avformat_close_input(ctx);
      throw new VideoDecodeException(source, "FFmpeg cannot read its stream information: " + error(ret));
    }
    return ctx;
  }

  private String sizeHint() {
    try {
      long size = Files.size(Path.of(source));
      return size == 0 ? " (the file is empty)" : " (" + size + " bytes)";
    } catch (Exception e) {
      return "";
    }
  }

  private void openAll(int threads) {
    fmt = openFormat();
    stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
    if (stream < 0) {
      throw new VideoDecodeException(source, "no video stream (" + describeStreams() + ")");
    }
    AVStream st = fmt.streams(stream);
    AVCodecParameters par = st.codecpar();
    String codecName = avcodec_get_name(par.codec_id()).getString();
    AVCodec codec = avcodec_find_decoder(par.codec_id());
    if (codec == null || codec.isNull()) {
      throw new VideoDecodeException(source, "unsupported video codec '" + codecName + "' (codec id "
          + par.codec_id() + "): this FFmpeg build has no decoder for it");
    }
    if (par.width() < 1 || par.height() < 1 || (long) par.width() * par.height() > MAX_PIXELS) {
      throw new VideoDecodeException(source, "video stream has frame size " + par.width() + "x" + par.height()
          + ", expected 1x1 to " + MAX_PIXELS + " pixels");
    }
    double fps = rate(st.avg_frame_rate());
    if (!(fps > 0)) {
      fps = rate(st.r_frame_rate());
    }
    if (!(fps > 0 && Double.isFinite(fps))) {
      throw new VideoDecodeException(source, "the video stream declares no frame rate (avg_frame_rate "
          + st.avg_frame_rate().num() + "/" + st.avg_frame_rate().den() + ")");
    }
    checkCancelled();
    if (!Files.isRegularFile(Path.of(source))) {
      // a pipe or device cannot be read twice; the frame count needs a demux pass before decoding
      throw new VideoDecodeException(source, "not a regular file (pipe or device): the frame count needs a "
          + "demux-only pass before decoding, so the input must be readable twice");
    }
    long packets = countPackets(codecName);
    checkCancelled();
    info = new VideoInfo(packets, fps, par.width(), par.height(), codecName);
    dec = avcodec_alloc_context3(codec);
    if (dec == null || dec.isNull()) {
      throw new VideoDecodeException(source, "FFmpeg could not allocate a decoder context");
    }
    int ret = avcodec_parameters_to_context(dec, par);
    if (ret < 0) {
      throw new VideoDecodeException(source, "bad codec parameters: " + error(ret));
    }
    dec.thread_count(threads);
    dec.pkt_timebase(st.time_base());
    ret = avcodec_open2(dec, codec, (PointerPointer<?>) null);
    if (ret < 0) {
      throw new VideoDecodeException(source, "cannot open the '" + codecName + "' decoder: " + error(ret));
    }
    pkt = av_packet_alloc();
    frame = av_frame_alloc();
    if (pkt == null || pkt.isNull() || frame == null || frame.isNull()) {
      throw new VideoDecodeException(source, "FFmpeg could not allocate a packet or frame");
    }
  }

  private void checkCancelled() {
    BooleanSupplier c = CANCEL.get(id);
    if (c != null && c.getAsBoolean()) {
      throw new VideoDecodeException(source, "decode cancelled");
    }
  }

  private String describeStreams() {
    if (fmt.nb_streams() == 0) {
      return "the container has no streams";
    }
    StringBuilder b = new StringBuilder("streams:");
    for (int i = 0; i < fmt.nb_streams(); i++) {
      AVCodecParameters p = fmt.streams(i).codecpar();
      b.append(' ').append(i).append('=').append(org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string(
          p.codec_type()) == null ? "unknown" : org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string(
          p.codec_type()).getString()).append('/').append(avcodec_get_name(p.codec_id()).getString());
    }
    return b.toString();
  }

  /** Demux-only pass over a second format context: video packets, data end vs declared duration. */
  private long countPackets(String codecName) {
    AVFormatContext c = openFormat();
    AVPacket p = av_packet_alloc();
    try {
      if (c.nb_streams() <= stream || c.streams(stream).codecpar().codec_type() != AVMEDIA_TYPE_VIDEO) {
        throw new VideoDecodeException(source, "the video stream moved between two opens of the file");
      }
      AVStream st = c.streams(stream);
      double tb = rate(st.time_base());
      long start = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
      long count = 0;
      long end = Long.MIN_VALUE;
      int ret;
      while ((ret = av_read_frame(c, p)) >= 0) {
        if (p.stream_index() == stream) {
          count++;
          if (p.pts() != AV_NOPTS_VALUE) {
            end = Math.max(end, p.pts() + Math.max(p.duration(), 0));
          }
        }
        av_packet_unref(p);
        progress.run();
      }
      if (ret != AVERROR_EOF) {
        throw new VideoDecodeException(source, "read error after " + count + " video packets: " + error(ret)
            + " (truncated or corrupt file?)");
      }
      if (count == 0) {
        throw new VideoDecodeException(source, "the " + codecName + " video stream has no frames");
      }
      double declared = st.duration() != AV_NOPTS_VALUE && st.duration() > 0 ? st.duration() * tb
          : c.nb_streams() == 1 && c.duration() != AV_NOPTS_VALUE && c.duration() > 0
              ? (double) c.duration() / AV_TIME_BASE : Double.NaN;
      if (end != Long.MIN_VALUE && tb > 0 && Double.isFinite(declared)) {
        double dataEnd = (end - start) * tb;
        if (dataEnd < declared * 0.9 - 0.25) {
          throw new VideoDecodeException(source, String.format(java.util.Locale.ROOT,
              "truncated: the container declares %.3f s of video but its packets end at %.3f s", declared,
              dataEnd));
        }
      }
      return count;
    } finally {
      av_packet_free(p);
      avformat_close_input(c);
    }
  }

  /**
   * Decodes the next frame in presentation order; converts it to rgb24 if {@code convert} accepts
   * its index. Returns null after the last frame.
   *
   * @throws VideoDecodeException on a read or decoder failure, or a frame too large
   */
  public DecodedFrame next(IntPredicate convert) {
    if (closed) {
      throw new IllegalStateException(source + ": reader is closed");
    }
    if (finished) {
      return null;
    }
    checkCancelled();
    while (true) {
      int ret = avcodec_receive_frame(dec, frame);
      if (ret >= 0) {
        progress.run();
        int index = nextIndex++;
        try {
          int w = frame.width();
          int h = frame.height();
          byte[] rgb = convert.test(index) ? toRgb() : null;
          return new DecodedFrame(index, w, h, rgb);
        } finally {
          av_frame_unref(frame);
        }
      }
      if (ret == AVERROR_EOF) {
        finished = true;
        return null;
      }
      if (ret != EAGAIN) {
        throw new VideoDecodeException(source, "decoder failure after " + nextIndex + " frames: " + error(ret));
      }
      if (draining) {
        finished = true; // a decoder that asks for input while draining has nothing left
        return null;
      }
      ret = av_read_frame(fmt, pkt);
      progress.run();
      if (ret < 0) {
        if (ret != AVERROR_EOF) {
          throw new VideoDecodeException(source, "read error after " + nextIndex + " frames: " + error(ret));
        }
        draining = true;
        avcodec_send_packet(dec, null);
        continue;
      }
      try {
        if (pkt.stream_index() == stream) {
          int s = avcodec_send_packet(dec, pkt);
          if (s < 0 && s != EAGAIN) {
            decodeErrors++;
          }
        }
      } finally {
        av_packet_unref(pkt);
      }
    }
  }

  private byte[] toRgb() {
    int w = frame.width();
    int h = frame.height();
    int pf = frame.format();
    if (w < 1 || h < 1 || (long) w * h > MAX_PIXELS) {
      throw new VideoDecodeException(source, "frame " + nextIndex + " has size " + w + "x" + h);
    }
    int space = frame.colorspace();
    int range = frame.color_range();
    if (sws == null || w != swsW || h != swsH || pf != swsFmt || space != swsSpace || range != swsRange) {
      sws = sws_getCachedContext(sws, w, h, pf, w, h, AV_PIX_FMT_RGB24, SWS_FLAGS, (SwsFilter) null,
          (SwsFilter) null, (DoublePointer) null);
      if (sws == null || sws.isNull()) {
        sws = null;
        throw new VideoDecodeException(source, "swscale cannot convert pixel format " + pf + " at " + w + "x" + h
            + " to rgb24");
      }
      setColorspace(space, range);
      swsW = w;
      swsH = h;
      swsFmt = pf;
      swsSpace = space;
      swsRange = range;
    }
    int linesize = (w * 3 + 63) & ~63;
    long need = (long) linesize * h + 64;
    if (rgbBuf == null || rgbBufSize < need) {
      if (rgbBuf != null) {
        rgbBuf.close();
      }
      rgbBuf = new BytePointer(need);
      rgbBufSize = need;
    }
    try (PointerPointer<BytePointer> dst = new PointerPointer<>(rgbBuf, null, null, null);
        IntPointer dstStride = new IntPointer(linesize, 0, 0, 0)) {
      int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, h, dst, dstStride);
      if (rows != h) {
        throw new VideoDecodeException(source, "swscale converted " + rows + " of " + h + " rows of frame "
            + nextIndex);
      }
    }
    byte[] out = new byte[w * h * 3];
    ByteBuffer bb = rgbBuf.capacity(need).asByteBuffer();
    for (int y = 0; y < h; y++) {
      bb.get(y * linesize, out, y * w * 3, w * 3);
    }
    return out;
  }

  /** As the CLI's scale filter: matrix from the frame's colorspace, input range from the frame if set. */
  private void setColorspace(int space, int range) {
    try (PointerPointer<IntPointer> inv = new PointerPointer<>(1);
        PointerPointer<IntPointer> tbl = new PointerPointer<>(1);
        IntPointer srcRange = new IntPointer(1);
        IntPointer dstRange = new IntPointer(1);
        IntPointer bri = new IntPointer(1);
        IntPointer con = new IntPointer(1);
        IntPointer sat = new IntPointer(1)) {
      if (sws_getColorspaceDetails(sws, inv, srcRange, tbl, dstRange, bri, con, sat) < 0) {
        return; // RGB or palette input: no matrix involved
      }
      IntPointer coeffs = sws_getCoefficients(space);
      int full = range == AVCOL_RANGE_JPEG ? 1 : range == AVCOL_RANGE_MPEG ? 0 : srcRange.get();
      sws_setColorspaceDetails(sws, coeffs, full, coeffs, dstRange.get(), bri.get(), con.get(), sat.get());
    }
  }

  private static double rate(AVRational r) {
    return r == null || r.den() == 0 ? Double.NaN : (double) r.num() / r.den();
  }

  static String error(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }

  /** Frees every native handle. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (pkt != null) {
      av_packet_free(pkt);
      pkt = null;
    }
    if (dec != null) {
      avcodec_free_context(dec);
      dec = null;
    }
    if (fmt != null) {
      avformat_close_input(fmt);
      fmt = null;
    }
    if (rgbBuf != null) {
      rgbBuf.close();
      rgbBuf = null;
    }
    CANCEL.remove(id);
    opaque.close();
  }
}
