package dev.bindspace.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes a float32 matrix as a NumPy {@code .npy} file, format version 1.0:
 *
 * <pre>
 * 0   6  magic 93 'N' 'U' 'M' 'P' 'Y'
 * 6   2  version 01 00
 * 8   2  u16 little-endian header length H
 * 10  H  ASCII dict "{'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, D), }", padded with
 *        spaces and ended by '\n' so that 10 + H is a multiple of 64
 * ..     N x D float32 little-endian, row-major
 * </pre>
 */
public final class Npy {
  private Npy() {
  }

  /** Writes {@code rows} (all of length {@code dimension}) as a {@code [rows.size(), dimension]} array. */
  public static void writeFloat32(OutputStream out, List<float[]> rows, int dimension) throws IOException {
    String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
        rows.size(), dimension);
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(total - unpadded) + "\n";
    ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
        .putShort((short) header.length());
    out.write(head.array());
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer row = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] r : rows) {
      if (r.length != dimension) {
        throw new IllegalArgumentException("row of length " + r.length + " in a matrix of dimension " + dimension);
      }
      row.clear();
      row.asFloatBuffer().put(r);
      out.write(row.array());
    }
  }
}
