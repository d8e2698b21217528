package dev.bindspace.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal NumPy {@code .npy} reader for tests: format 1.0/2.0, little-endian {@code <f4} or
 * {@code <f8}, C order. Layout: magic {@code \x93NUMPY}, major, minor, u16 (v1) or u32 (v2) header
 * length, an ASCII dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (a, b), }}, data.
 */
record Npy(long[] shape, float[] data) {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  static Npy read(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.get(0) != (byte) 0x93 || b.get(1) != 'N') {
      throw new IOException(p + ": not an .npy file");
    }
    int major = b.get(6);
    int hlen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int hstart = major == 1 ? 10 : 12;
    String header = new String(b.array(), hstart, hlen, StandardCharsets.US_ASCII);
    Matcher d = DESCR.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
      throw new IOException(p + ": unsupported header " + header);
    }
    String[] dims = s.group(1).split(",");
    long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    long n = 1;
    for (long x : shape) {
      n *= x;
    }
    float[] out = new float[Math.toIntExact(n)];
    int pos = hstart + hlen;
    switch (d.group(1)) {
      case "<f4" -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = b.getFloat(pos + 4 * i);
        }
      }
      case "<f8" -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) b.getDouble(pos + 8 * i);
        }
      }
      default -> throw new IOException(p + ": unsupported dtype " + d.group(1));
    }
    return new Npy(shape, out);
  }
}
