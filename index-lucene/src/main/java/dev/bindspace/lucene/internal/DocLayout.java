package dev.bindspace.lucene.internal;

import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * How one index entry is stored as one Lucene document. Every entry has every field except
 * {@link #META} (absent when the metadata is empty) and {@link #RAW} (absent when the searched
 * vector already is the entry's vector, bit for bit).
 *
 * <pre>
 * field     Lucene type                     content
 * key       StringField (indexed, no norms) the id's UTF-8 bytes; ids longer than
 *                                           {@value #MAX_PLAIN_KEY_BYTES} bytes: 0xFF + SHA-256 of the bytes
 *                                           (0xFF never occurs in UTF-8, so the two forms never collide)
 * id        BinaryDocValues                 the id's UTF-8 bytes
 * media     NumericDocValues                {@link MediaKind#code()}
 * modality  StringField (indexed)           {@code Modality.name()}, for target-modality filters
 * meta      BinaryDocValues                 metadata: vint n, n x (vint len, UTF-8 key, vint len, UTF-8 value),
 *                                           keys in ascending order
 * vec       KnnFloatVectorField             the searched vector (see {@link #searchVector})
 * raw       StoredField (binary)            the entry's vector, float32 little-endian, when it differs from vec
 * </pre>
 *
 * <p>Internal API.
 */
public final class DocLayout {
  public static final String KEY = "key";
  public static final String ID = "id";
  public static final String MEDIA = "media";
  public static final String MODALITY = "modality";
  public static final String META = "meta";
  public static final String VEC = "vec";
  public static final String RAW = "raw";

  /** Longest id indexed as itself; longer ids are indexed by hash (Lucene terms hold at most 32766 bytes). */
  public static final int MAX_PLAIN_KEY_BYTES = IndexWriter.MAX_TERM_LENGTH;

  private static final BytesRef EMPTY = new BytesRef();

  private DocLayout() {
  }

  /** The indexed key of an id. */
  public static BytesRef key(String id) {
    byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_PLAIN_KEY_BYTES) {
      return new BytesRef(utf8);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8);
      byte[] k = new byte[1 + digest.length];
      k[0] = (byte) 0xFF;
      System.arraycopy(digest, 0, k, 1, digest.length);
      return new BytesRef(k);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  public static Term keyTerm(String id) {
    return new Term(KEY, key(id));
  }

  /**
   * Vectors whose double-precision norm is within this of 1 are indexed as they are under
   * DOT_PRODUCT: a score then differs from the cosine by at most this (relative), far below the
   * float32 rounding of the scores themselves, and the index needs no second copy of the vector.
   * (Normalising an already normalised float32 vector again changes some of its bits.)
   */
  public static final double UNIT_TOLERANCE = 1e-6;

  /**
   * The vector the HNSW field holds: for DOT_PRODUCT the entry's vector scaled to unit length
   * (each value divided by the double-precision norm, rounded once) unless it already is unit
   * length within {@link #UNIT_TOLERANCE}; for COSINE the vector itself when its float32 squared
   * norm stays in [1e-30, 1e30] (Lucene computes cosines in float32) and the unit vector
   * otherwise. Padded with zeros to {@code fieldDimension}.
   */
  public static float[] searchVector(float[] raw, boolean cosine, int fieldDimension) {
    float[] v = Arrays.copyOf(raw, fieldDimension);
    if (cosine && cosineSafe(raw)) {
      return v;
    }
    double s = 0;
    for (float x : raw) {
      s += (double) x * x;
    }
    double norm = Math.sqrt(s);
    if (Math.abs(norm - 1.0) <= UNIT_TOLERANCE) {
      return v;
    }
    for (int i = 0; i < raw.length; i++) {
      v[i] = (float) (raw[i] / norm);
    }
    return v;
  }

  /** Whether Lucene's float32 cosine of this vector neither overflows nor underflows. */
  public static boolean cosineSafe(float[] v) {
    float s = 0;
    for (float x : v) {
      s += x * x;
    }
    return s >= 1e-30f && s <= 1e30f;
  }

  /** Whether {@code searchVector[0..raw.length)} is {@code raw} bit for bit. */
  public static boolean sameBits(float[] raw, float[] searchVector) {
    for (int i = 0; i < raw.length; i++) {
      if (Float.floatToRawIntBits(raw[i]) != Float.floatToRawIntBits(searchVector[i])) {
        return false;
      }
    }
    return true;
  }

  /** The Lucene document of an entry whose search vector has been computed. */
  public static Document document(IndexEntry e, float[] searchVector, VectorSimilarityFunction sim) {
    Document doc = new Document();
    doc.add(new StringField(KEY, key(e.id()), Field.Store.NO));
    doc.add(new BinaryDocValuesField(ID, new BytesRef(e.id())));
    MediaKind media = e.embedding().media();
    doc.add(new NumericDocValuesField(MEDIA, media.code()));
    doc.add(new StringField(MODALITY, media.modality().name(), Field.Store.NO));
    if (!e.metadata().isEmpty()) {
      doc.add(new BinaryDocValuesField(META, encodeMetadata(e.metadata())));
    }
    doc.add(new KnnFloatVectorField(VEC, searchVector, sim));
    float[] raw = e.embedding().toArray();
    if (!sameBits(raw, searchVector)) {
      doc.add(new StoredField(RAW, floatsToBytes(raw)));
    }
    return doc;
  }

  /** Little-endian float32 bytes. */
  public static byte[] floatsToBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  /** Floats from little-endian float32 bytes. */
  public static float[] bytesToFloats(BytesRef bytes) {
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** The {@link #META} encoding of a metadata map (keys sorted, so equal maps encode equally). */
  public static BytesRef encodeMetadata(Map<String, String> metadata) {
    TreeMap<String, String> sorted = new TreeMap<>(metadata);
    byte[][] parts = new byte[sorted.size() * 2][];
    int size = 5;
    int i = 0;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      parts[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      parts[i + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
      size += 10 + parts[i].length + parts[i + 1].length;
      i += 2;
    }
    byte[] out = new byte[size];
    int p = writeVInt(out, 0, sorted.size());
    for (byte[] part : parts) {
      p = writeVInt(out, p, part.length);
      System.arraycopy(part, 0, out, p, part.length);
      p += part.length;
    }
    return new BytesRef(out, 0, p);
  }

  /** Decodes {@link #encodeMetadata}; {@code null} or empty bytes are the empty map. */
  public static Map<String, String> decodeMetadata(BytesRef b) {
    if (b == null || b.length == 0) {
      return Map.of();
    }
    int[] pos = {b.offset};
    int n = readVInt(b.bytes, pos);
    Map<String, String> m = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String k = readString(b.bytes, pos);
      String v = readString(b.bytes, pos);
      m.put(k, v);
    }
    return Collections.unmodifiableMap(m);
  }

  public static BytesRef emptyMetadata() {
    return EMPTY;
  }

  private static String readString(byte[] a, int[] pos) {
    int len = readVInt(a, pos);
    String s = new String(a, pos[0], len, StandardCharsets.UTF_8);
    pos[0] += len;
    return s;
  }

  private static int writeVInt(byte[] out, int p, int v) {
    while ((v & ~0x7F) != 0) {
      out[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[p++] = (byte) v;
    return p;
  }

  private static int readVInt(byte[] a, int[] pos) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = a[pos[0]++];
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
  }
}
