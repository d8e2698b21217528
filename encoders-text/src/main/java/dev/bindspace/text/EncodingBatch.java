package dev.bindspace.text;

import java.util.List;
import java.util.Objects;

/**
 * Encodings of one batch, all padded to one {@link #sequenceLength()}, in input order. The
 * {@code ...AsLongs()} methods give the row-major {@code [size × sequenceLength]} int64 tensors that
 * ONNX text models take ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}).
 * Immutable.
 */
public final class EncodingBatch {
  private final List<Encoding> rows;
  private final int sequenceLength;

  EncodingBatch(List<Encoding> rows, int sequenceLength) {
    this.rows = List.copyOf(rows);
    this.sequenceLength = sequenceLength;
  }

  /** Number of texts. */
  public int size() {
    return rows.size();
  }

  /** Length of every row, padding included (0 for an empty batch). */
  public int sequenceLength() {
    return sequenceLength;
  }

  /** Row {@code index}. */
  public Encoding get(int index) {
    Objects.checkIndex(index, rows.size());
    return rows.get(index);
  }

  /** All rows, in input order (unmodifiable). */
  public List<Encoding> encodings() {
    return rows;
  }

  /** Whether any row was truncated. */
  public boolean anyTruncated() {
    for (Encoding e : rows) {
      if (e.truncated()) {
        return true;
      }
    }
    return false;
  }

  /** Token ids, row-major {@code [size × sequenceLength]}. */
  public long[] idsAsLongs() {
    long[] out = new long[rows.size() * sequenceLength];
    for (int r = 0; r < rows.size(); r++) {
      rows.get(r).copyIds(out, r * sequenceLength);
    }
    return out;
  }

  /** Attention mask, row-major {@code [size × sequenceLength]}. */
  public long[] attentionMaskAsLongs() {
    long[] out = new long[rows.size() * sequenceLength];
    for (int r = 0; r < rows.size(); r++) {
      rows.get(r).copyMask(out, r * sequenceLength);
    }
    return out;
  }

  /** Token type ids, row-major {@code [size × sequenceLength]}. */
  public long[] typeIdsAsLongs() {
    long[] out = new long[rows.size() * sequenceLength];
    for (int r = 0; r < rows.size(); r++) {
      rows.get(r).copyTypeIds(out, r * sequenceLength);
    }
    return out;
  }

  @Override
  public String toString() {
    return "EncodingBatch{size=" + rows.size() + ", sequenceLength=" + sequenceLength + "}";
  }
}
