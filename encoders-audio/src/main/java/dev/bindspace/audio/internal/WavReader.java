package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioDecodingException;
import dev.bindspace.audio.AudioDecodingException.Reason;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.audio.AudioReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A streaming RIFF/WAVE reader in pure Java, with torchaudio's scaling ({@link SoxScaling}).
 *
 * <p>Layout read, all integers little-endian:
 * <pre>
 * offset size  field
 * 0      4     "RIFF"
 * 4      4     u32 RIFF size (not trusted; the chunks are walked up to the file's end)
 * 8      4     "WAVE"
 * 12     ...   chunks: 4-byte id, u32 size, payload, one pad byte if size is odd
 * "fmt " chunk payload (16, 18 or 40 bytes):
 *   0  u16 format tag: 1 PCM, 3 IEEE float, 0xFFFE WAVE_FORMAT_EXTENSIBLE
 *   2  u16 channels (1..65535)        4  u32 sample rate (Hz, &gt; 0)
 *   8  u32 byte rate (ignored)       12  u16 block align = channels * bits / 8
 *   14 u16 bits per sample: PCM 8 (unsigned), 16, 24, 32 (signed); float 32, 64
 *   16 u16 extension size (cbSize)    18 u16 valid bits (ignored)   20 u32 channel mask (ignored)
 *   24 16-byte sub-format GUID: first u16 is the real tag (1 or 3), then
 *      00 00 00 00 10 00 80 00 00 AA 00 38 9B 71
 * "data" chunk payload: interleaved frames; u32 size 0xFFFFFFFF means "to the end of the file"
 *   (streaming writers). Any other chunk (LIST, fact, cue, ...) is skipped.
 * </pre>
 * Rejected as {@code CORRUPT}: a missing RIFF/WAVE magic, no fmt chunk before the data chunk, zero
 * channels or rate, a block align that disagrees with channels and bits, a data chunk that claims
 * more bytes than the file holds (a truncated file or a lying header). Other format tags (ADPCM,
 * µ-law, ...) are {@code UNSUPPORTED} here; {@link AudioSources} hands those to FFmpeg.
 */
public final class WavReader implements AudioReader, Seekable {
  private static final int TAG_PCM = 1;
  private static final int TAG_FLOAT = 3;
  private static final int TAG_EXTENSIBLE = 0xFFFE;
  private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
      (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

  private final String source;
  private final FileChannel ch;
  private final int channels;
  private final int rate;
  private final int bits;
  private final boolean isFloat;
  private final int blockAlign;
  private final long frames;
  private final long dataOffset;
  private final Deadline deadline;
  private long framesLeft;
  private ByteBuffer buf = ByteBuffer.allocate(0);
  private boolean closed;

  private WavReader(String source, FileChannel ch, int channels, int rate, int bits, boolean isFloat,
      long frames, long dataOffset, Deadline deadline) throws IOException {
    this.source = source;
    this.ch = ch;
    this.channels = channels;
    this.rate = rate;
    this.bits = bits;
    this.isFloat = isFloat;
    this.blockAlign = channels * (bits / 8);
    this.frames = frames;
    this.framesLeft = frames;
    this.dataOffset = dataOffset;
    this.deadline = deadline;
    ch.position(dataOffset);
  }

  /** Whether the first 12 bytes are a RIFF/WAVE header. */
  public static boolean isWav(byte[] head, int n) {
    return n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
        && head[8] == 'W' && head[9] == 'A' && head[10] == 'V' && head[11] == 'E';
  }

  /** Opens and parses the header; the channel is closed on every failure. */
  public static WavReader open(Path file, AudioOptions options, Deadline deadline) {
    String src = file.toString();
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new AudioDecodingException(src, Reason.IO, "cannot open: " + e, e);
    }
    try {
      WavReader r = parse(src, ch, options, deadline);
      return r;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new AudioDecodingException(src, Reason.IO, "read error: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static WavReader parse(String src, FileChannel ch, AudioOptions options, Deadline deadline)
      throws IOException {
    long size = ch.size();
    ByteBuffer hdr = readFully(ch, 0, 12, src, "RIFF header");
    if (hdr.getInt(0) != fourcc("RIFF") || hdr.getInt(8) != fourcc("WAVE")) {
      throw corrupt(src, "not a RIFF/WAVE file");
    }
    long pos = 12;
    int tag = -1;
    int channels = 0;
    long rate = 0;
    int blockAlign = 0;
    int bits = 0;
    while (true) {
      if (pos + 8 > size) {
        throw corrupt(src, tag < 0 ? "no fmt chunk" : "no data chunk (the file ends at byte " + size + ")");
      }
      ByteBuffer c = readFully(ch, pos, 8, src, "chunk header");
      int id = c.getInt(0);
      long len = Integer.toUnsignedLong(c.getInt(4));
      long payload = pos + 8;
      if (id == fourcc("fmt ")) {
        if (len < 16 || payload + len > size) {
          throw corrupt(src, "fmt chunk of " + len + " bytes at offset " + pos + " (need 16..)" + " in a "
              + size + "-byte file");
        }
        ByteBuffer f = readFully(ch, payload, (int) Math.min(len, 40), src, "fmt chunk");
        tag = Short.toUnsignedInt(f.getShort(0));
        channels = Short.toUnsignedInt(f.getShort(2));
        rate = Integer.toUnsignedLong(f.getInt(4));
        blockAlign = Short.toUnsignedInt(f.getShort(12));
        bits = Short.toUnsignedInt(f.getShort(14));
        if (tag == TAG_EXTENSIBLE) {
          if (len < 40) {
            throw corrupt(src, "WAVE_FORMAT_EXTENSIBLE fmt chunk has " + len + " bytes, expected 40");
          }
          int sub = Short.toUnsignedInt(f.getShort(24));
          for (int i = 0; i < GUID_TAIL.length; i++) {
            if (f.get(26 + i) != GUID_TAIL[i]) {
              throw new AudioDecodingException(src, Reason.UNSUPPORTED, "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID");
            }
          }
          tag = sub;
        }
      } else if (id == fourcc("data")) {
        if (tag < 0) {
          throw corrupt(src, "data chunk before the fmt chunk");
        }
        return validate(src, ch, options, deadline, tag, channels, rate, blockAlign, bits, size, payload, len);
      }
      pos = payload + len + (len & 1);
    }
  }

  private static WavReader validate(String src, FileChannel ch, AudioOptions options, Deadline deadline, int tag,
      int channels, long rate, int blockAlign, int bits, long size, long payload, long len) throws IOException {
    if (tag != TAG_PCM && tag != TAG_FLOAT) {
      throw new AudioDecodingException(src, Reason.UNSUPPORTED, "WAV format tag 0x" + Integer.toHexString(tag)
          + " (only PCM 0x1 and IEEE float 0x3 are decoded in Java)");
    }
    if (channels == 0) {
      throw corrupt(src, "fmt chunk declares 0 channels");
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw corrupt(src, "fmt chunk declares a sample rate of " + rate + " Hz");
    }
    boolean ok = tag == TAG_PCM ? (bits == 8 || bits == 16 || bits == 24 || bits == 32) : (bits == 32 || bits == 64);
    if (!ok) {
      throw new AudioDecodingException(src, Reason.UNSUPPORTED, (tag == TAG_PCM ? "PCM" : "float") + " with "
          + bits + " bits per sample (expected " + (tag == TAG_PCM ? "8, 16, 24 or 32" : "32 or 64") + ")");
    }
    if (blockAlign != channels * (bits / 8)) {
      throw corrupt(src, "block align " + blockAlign + " disagrees with " + channels + " channels of " + bits + " bits");
    }
    long avail = size - payload;
    long dataBytes;
    if (len == 0xFFFFFFFFL) {
      dataBytes = avail;
    } else if (len > avail) {
      throw corrupt(src, "data chunk declares " + len + " bytes but only " + avail + " follow (truncated file?)");
    } else {
      dataBytes = len;
    }
    long frames = dataBytes / blockAlign;
    AudioSources.checkDuration(src, frames, (int) rate, options);
    return new WavReader(src, ch, channels, (int) rate, bits, tag == TAG_FLOAT, frames, payload, deadline);
  }

  private static ByteBuffer readFully(FileChannel ch, long pos, int n, String src, String what) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw corrupt(src, "the file ends inside the " + what + " at byte " + (pos + b.position()));
      }
    }
    return b.flip();
  }

  private static int fourcc(String s) {
    return (s.charAt(0) & 0xFF) | (s.charAt(1) & 0xFF) << 8 | (s.charAt(2) & 0xFF) << 16 | (s.charAt(3) & 0xFF) << 24;
  }

  private static AudioDecodingException corrupt(String src, String msg) {
    return new AudioDecodingException(src, Reason.CORRUPT, "corrupt WAV: " + msg);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public long frames() {
    return frames;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void seek(long frame) {
    if (frame < 0 || frame > frames) {
      throw new IllegalArgumentException("frame " + frame + " outside [0, " + frames + "]");
    }
    try {
      ch.position(dataOffset + frame * blockAlign);
    } catch (IOException e) {
      throw new AudioDecodingException(source, Reason.IO, "seek failed: " + e, e);
    }
    framesLeft = frames - frame;
  }

  @Override
  public int read(float[][] dest, int offset, int max) {
    if (closed) {
      throw new IllegalStateException("reader of " + source + " is closed");
    }
    if (framesLeft == 0) {
      return -1;
    }
    deadline.check(source);
    int n = (int) Math.min(max, framesLeft);
    int bytes = n * blockAlign;
    if (buf.capacity() < bytes) {
      buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
    buf.clear().limit(bytes);
    try {
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw corrupt(source, "the data ends early (the file shrank while reading?)");
        }
      }
    } catch (IOException e) {
      throw new AudioDecodingException(source, Reason.IO, "read error: " + e, e);
    }
    buf.flip();
    decode(buf, dest, offset, n);
    framesLeft -= n;
    return n;
  }

  private void decode(ByteBuffer b, float[][] dest, int offset, int n) {
    // one loop per sample format, channels de-interleaved in the inner loop
    int ch = channels;
    if (!isFloat && bits == 16) {
      for (int c = 0; c < ch; c++) {
        float[] d = dest[c];
        for (int i = 0, p = 2 * c; i < n; i++, p += 2 * ch) {
          d[offset + i] = b.getShort(p) / 32768f;
        }
      }
      return;
    }
    int bytes = bits >> 3;
    for (int c = 0; c < ch; c++) {
      float[] d = dest[c];
      int p = bytes * c;
      int step = bytes * ch;
      if (isFloat && bits == 32) {
        for (int i = 0; i < n; i++, p += step) {
          d[offset + i] = SoxScaling.fromFloat32(b.getFloat(p));
        }
      } else if (isFloat) {
        for (int i = 0; i < n; i++, p += step) {
          d[offset + i] = SoxScaling.fromFloat64(b.getDouble(p));
        }
      } else if (bits == 8) {
        for (int i = 0; i < n; i++, p += step) {
          d[offset + i] = ((b.get(p) & 0xFF) - 128) / 128f;
        }
      } else if (bits == 24) {
        for (int i = 0; i < n; i++, p += step) {
          d[offset + i] = ((b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8 | b.get(p + 2) << 16) / 8388608f;
        }
      } else {
        for (int i = 0; i < n; i++, p += step) {
          d[offset + i] = SoxScaling.fromInt32(b.getInt(p));
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeQuietly(ch);
    }
  }

  @Override
  public String toString() {
    return "WavReader[" + source + ", " + channels + " ch, " + rate + " Hz, " + bits + "-bit " + (isFloat ? "float" : "PCM")
        + ", " + frames + " frames]";
  }
}
