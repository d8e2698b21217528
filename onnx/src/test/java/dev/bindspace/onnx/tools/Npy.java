package dev.bindspace.onnx.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader and writer of NumPy's {@code .npy} format (version 1.0 and 2.0) for the two dtypes the graph tools
 * exchange with Python: little-endian float32 ({@code <f4}) and int64 ({@code <i8}), C order.
 *
 * <p>Layout: magic {@code \x93NUMPY}, major and minor version bytes, the header length (uint16 LE in 1.0, uint32 LE
 * in 2.0), an ASCII Python dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (N, ...), }} padded with
 * spaces and a final {@code \n} so that the data starts at a multiple of 64 bytes, then the values row-major.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** A read array: its shape and either float or long values (the other is null). */
  public record Array(long[] shape, float[] floats, long[] longs) {
    /** Rows along the first axis. */
    public int rows() {
      return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** Values per row (product of the remaining axes). */
    public int rowSize() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return Math.toIntExact(n);
    }
  }

  private Npy() {}

  public static Array read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(file + ": not a .npy file (expected the magic \\x93NUMPY)");
    }
    int major = b.get();
    b.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    byte[] h = new byte[headerLen];
    b.get(h);
    String header = new String(h, StandardCharsets.US_ASCII);
    String descr = group(DESCR, header, file);
    if (group(FORTRAN, header, file).equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported, expected C order");
    }
    String dims = group(SHAPE, header, file).trim();
    long[] shape = dims.isEmpty() ? new long[0]
        : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong)
            .toArray();
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    switch (descr) {
      case "<f4" -> {
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        return new Array(shape, v, null);
      }
      case "<i8" -> {
        long[] v = new long[n];
        b.asLongBuffer().get(v);
        return new Array(shape, null, v);
      }
      default -> throw new IOException(file + ": dtype " + descr + " is not supported, expected '<f4' or '<i8'");
    }
  }

  public static void writeFloats(Path file, long[] shape, float[] values) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    write(file, "<f4", shape, values.length, data.array());
  }

  public static void writeLongs(Path file, long[] shape, long[] values) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    data.asLongBuffer().put(values);
    write(file, "<i8", shape, values.length, data.array());
  }

  private static void write(Path file, String descr, long[] shape, int n, byte[] data) throws IOException {
    long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (expected != n) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + expected + " values, got " + n);
    }
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(',');
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(MAGIC);
      out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >>> 8)});
      out.write(header.getBytes(StandardCharsets.US_ASCII));
      out.write(data);
    }
  }

  private static String group(Pattern p, String header, Path file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": .npy header " + header.strip() + " lacks " + p.pattern());
    }
    return m.group(1);
  }
}
