package dev.bindspace.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores many queries against a block of stored rows with one ND4J (OpenBLAS) {@code sgemm}:
 * {@code out[q][r] = query[q] · row[r]}. Rows of a mapped chunk are wrapped in place (zero copy:
 * the mapping becomes the matrix); rows of a heap chunk are copied block by block into a
 * preallocated off-heap matrix. Queries, block and output are allocated once per batch.
 *
 * <p>ND4J is optional at run time: when its natives cannot load, {@link #available()} is false and
 * callers use the plain-Java path. Internal API.
 */
public final class Nd4jBatchScorer {
  /** Rows per gemm call: big enough to amortise the call, small enough for the output to stay in cache. */
  public static final int BLOCK_ROWS = 4096;

  private static final Throwable LOAD_FAILURE = probe();

  private Nd4jBatchScorer() {
  }

  private static Throwable probe() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return new UnsupportedOperationException("stored rows are little-endian; this platform is big-endian");
    }
    try {
      Nd4j.create(DataType.FLOAT, 1, 1);
      return null;
    } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
      return t;
    }
  }

  /** Whether ND4J loaded on this platform. */
  public static boolean available() {
    return LOAD_FAILURE == null;
  }

  /** Why ND4J did not load, or null. */
  public static Throwable loadFailure() {
    return LOAD_FAILURE;
  }

  /** Sets the process-wide BLAS thread count (ND4J's setting is global). */
  public static void blasThreads(int threads) {
    if (Nd4j.factory().blas().getMaxThreads() != threads) {
      Nd4j.factory().blas().setMaxThreads(threads);
    }
  }

  /** A reusable batch of queries and output buffer for one {@code searchAll} call. */
  public static final class Batch implements AutoCloseable {
    private final INDArray queries;
    private final INDArray block;
    private final FloatPointer blockPointer;
    private final INDArray out;
    private final FloatBuffer outView;
    private final int nq;
    private final int dimension;

    /** @param queries row-major {@code nq x dimension} */
    public Batch(float[] queries, int nq, int dimension) {
      this.nq = nq;
      this.dimension = dimension;
      this.queries = Nd4j.create(queries, new long[] {nq, dimension}, DataType.FLOAT);
      this.out = Nd4j.create(DataType.FLOAT, nq, BLOCK_ROWS);
      this.block = Nd4j.create(DataType.FLOAT, BLOCK_ROWS, dimension);
      this.blockPointer = (FloatPointer) block.data().pointer();
      this.outView = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Scores rows {@code [first, first + rows)} of {@code chunk} (chunk-relative, {@code rows <=
     * BLOCK_ROWS}) and copies the {@code nq x rows} result, row-major by query, into {@code dest}.
     */
    public void score(VectorStore.Chunk chunk, int first, int rows, float[] dest) {
      INDArray a;
      if (chunk.isHeap()) {
        blockPointer.position(0).put(chunk.array(), first * dimension, rows * dimension);
        a = rows == BLOCK_ROWS ? block
            : Nd4j.create(block.data(), new long[] {rows, dimension}, new long[] {dimension, 1}, 0, 'c', DataType.FLOAT);
      } else {
        Wrapped w = wrap(chunk, dimension);
        a = Nd4j.create(w.buffer, new long[] {rows, dimension}, new long[] {dimension, 1},
            (long) first * dimension, 'c', DataType.FLOAT);
      }
      INDArray target = rows == BLOCK_ROWS ? out
          : Nd4j.create(out.data(), new long[] {nq, rows}, new long[] {rows, 1}, 0, 'c', DataType.FLOAT);
      Nd4j.gemm(queries, a, target, false, true, 1.0, 0.0);
      FloatBuffer v = outView.duplicate();
      v.position(0);
      v.get(dest, 0, nq * rows);
    }

    @Override
    public void close() {
      queries.close();
      block.close();
      out.close();
    }
  }

  private static final class Wrapped {
    final FloatPointer pointer;
    final DataBuffer buffer;

    Wrapped(FloatPointer pointer, DataBuffer buffer) {
      this.pointer = pointer;
      this.buffer = buffer;
    }
  }

  private static Wrapped wrap(VectorStore.Chunk chunk, int dimension) {
    Object cached = chunk.batchCache();
    if (cached instanceof Wrapped) {
      return (Wrapped) cached;
    }
    synchronized (chunk) {
      cached = chunk.batchCache();
      if (cached instanceof Wrapped) {
        return (Wrapped) cached;
      }
      ByteBuffer b = chunk.buffer().duplicate().order(ByteOrder.nativeOrder());
      FloatPointer p = new FloatPointer(b.asFloatBuffer());
      long len = (long) chunk.capacity() * dimension;
      DataBuffer db = Nd4j.createBuffer(p, DataType.FLOAT, len, FloatIndexer.create(p));
      Wrapped w = new Wrapped(p, db);
      chunk.batchCache(w);
      return w;
    }
  }
}
