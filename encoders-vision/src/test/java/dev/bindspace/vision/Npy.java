package dev.bindspace.vision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal NumPy {@code .npy} reader for test goldens: format 1.0/2.0, C order, dtypes {@code |u1}
 * and {@code <f4}. Layout: magic {@code \x93NUMPY}, major, minor, header length (u16 LE for 1.x, u32 LE
 * for 2.x), an ASCII Python dict {@code {'descr': ..., 'fortran_order': False, 'shape': (...)}} padded
 * with spaces and a newline, then the raw little-endian data.
 */
public final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  public final String dtype;
  public final int[] shape;
  private final ByteBuffer data;

  private Npy(String dtype, int[] shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  public static Npy read(Path p) {
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P'
        || b[5] != 'Y') {
      throw new IllegalArgumentException(p + ": not an .npy file");
    }
    int major = b[6];
    int hl;
    int start;
    if (major == 1) {
      hl = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      start = 10;
    } else {
      hl = (b[8] & 0xff) | (b[9] & 0xff) << 8 | (b[10] & 0xff) << 16 | (b[11] & 0xff) << 24;
      start = 12;
    }
    String header = new String(b, start, hl, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher s = SHAPE.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    if (!d.find() || !s.find() || !f.find() || f.group(1).equals("True")) {
      throw new IllegalArgumentException(p + ": unsupported header " + header);
    }
    int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
    ByteBuffer data = ByteBuffer.wrap(b, start + hl, b.length - start - hl).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new Npy(d.group(1), shape, data);
  }

  public int size() {
    int n = 1;
    for (int v : shape) {
      n *= v;
    }
    return n;
  }

  public byte[] bytes() {
    if (!dtype.equals("|u1")) {
      throw new IllegalStateException("dtype " + dtype + ", expected |u1");
    }
    byte[] out = new byte[size()];
    data.duplicate().get(out);
    return out;
  }

  public float[] floats() {
    if (!dtype.equals("<f4")) {
      throw new IllegalStateException("dtype " + dtype + ", expected <f4");
    }
    float[] out = new float[size()];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
