package dev.bindspace.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.junit.jupiter.api.Test;

/** {@link GraphWalk} finds what Lucene's own graph searcher finds on the same graph. */
class GraphWalkTest {

  @Test
  void should_return_the_same_neighbours_as_lucenes_searcher_with_and_without_a_filter() throws Exception {
    Random rnd = new Random(42);
    int n = 4000;
    int d = 32;
    try (ByteBuffersDirectory dir = index(rnd, n, d, 16, 100)) {
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        HnswGraph graph = ((HnswGraphProvider) ((PerFieldKnnVectorsFormat.FieldsReader) ((CodecReader) leaf)
            .getVectorReader()).getFieldReader("vec")).getGraph("vec");
        RandomAccessVectorValues.Floats values = (RandomAccessVectorValues.Floats) leaf.getFloatVectorValues("vec");
        FixedBitSet third = new FixedBitSet(n);
        for (int i = 0; i < n; i += 3) {
          third.set(i);
        }
        int same = 0;
        int total = 0;
        for (int q = 0; q < 50; q++) {
          float[] query = unit(rnd, d);
          for (Bits accept : new Bits[] {null, third}) {
            for (int beam : new int[] {10, 40}) {
              GraphWalk walk = new GraphWalk(graph, values, query, beam, Long.MAX_VALUE);
              assertThat(walk.search(accept)).isTrue();
              Set<Integer> mine = new HashSet<>();
              for (int j = 0; j < walk.size(); j++) {
                mine.add(walk.node(j));
                assertThat(accept == null || accept.get(walk.node(j))).isTrue();
              }
              RandomVectorScorer scorer = SimdVectorScorer.forQuery(values, query);
              TopKnnCollector c = new TopKnnCollector(beam, Integer.MAX_VALUE);
              HnswGraphSearcher.search(scorer, c, graph, accept);
              Set<Integer> lucene = new HashSet<>();
              for (ScoreDoc sd : c.topDocs().scoreDocs) {
                lucene.add(sd.doc);
              }
              assertThat(mine).hasSize(lucene.size());
              same += (int) mine.stream().filter(lucene::contains).count();
              total += lucene.size();
            }
          }
        }
        // the same algorithm on the same graph: the same nodes, up to float ties
        assertThat((double) same / total).isGreaterThan(0.995);
      }
    }
  }

  @Test
  void should_walk_a_heap_copy_exactly_as_lucenes_files_with_and_without_a_filter() throws Exception {
    Random rnd = new Random(11);
    int n = 3000;
    int d = 24;
    try (ByteBuffersDirectory dir = index(rnd, n, d, 8, 60)) {
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        RandomAccessVectorValues.Floats values = (RandomAccessVectorValues.Floats) leaf.getFloatVectorValues("vec");
        HeapSegment heap = HeapSegment.load(graph(leaf), values.copy(), 16, n);
        assertThat(heap).isNotNull();
        assertThat(heap.size).isEqualTo(n);
        assertThat(heap.bytes()).isGreaterThan((long) n * d * 4 + (long) n * 17 * 4);
        HnswGraph g = graph(leaf);
        assertThat(heap.numLevels()).isEqualTo(g.numLevels()).isGreaterThan(1);
        assertThat(heap.entryNode).isEqualTo(g.entryNode());
        FixedBitSet odd = new FixedBitSet(n);
        for (int i = 1; i < n; i += 2) {
          odd.set(i);
        }
        for (int q = 0; q < 40; q++) {
          float[] query = unit(rnd, d);
          for (Bits accept : new Bits[] {null, odd}) {
            GraphWalk mapped = new GraphWalk(graph(leaf), values, query, 30, Long.MAX_VALUE);
            GraphWalk onHeap = new GraphWalk(null, null, heap, query, 30, Long.MAX_VALUE); // reads nothing else
            assertThat(mapped.search(accept)).isTrue();
            assertThat(onHeap.search(accept)).isTrue();
            // the same walk over the same graph and the same bits: identical heaps, entry by entry
            assertThat(onHeap.size()).isEqualTo(mapped.size());
            for (int j = 0; j < mapped.size(); j++) {
              assertThat(onHeap.node(j)).isEqualTo(mapped.node(j));
              assertThat(onHeap.dot(j)).isEqualTo(mapped.dot(j));
            }
          }
        }
        // a degree bound below the graph's: the segment does not fit the layout and is not copied
        assertThat(HeapSegment.load(graph(leaf), values.copy(), 2, n)).isNull();
      }
    }
  }

  private static HnswGraph graph(LeafReader leaf) throws java.io.IOException {
    return ((HnswGraphProvider) ((PerFieldKnnVectorsFormat.FieldsReader) ((CodecReader) leaf)
        .getVectorReader()).getFieldReader("vec")).getGraph("vec");
  }

  @Test
  void should_give_up_at_the_visit_limit() throws Exception {
    Random rnd = new Random(7);
    try (ByteBuffersDirectory dir = index(rnd, 2000, 8, 8, 50)) {
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        HnswGraph graph = ((HnswGraphProvider) ((PerFieldKnnVectorsFormat.FieldsReader) ((CodecReader) leaf)
            .getVectorReader()).getFieldReader("vec")).getGraph("vec");
        RandomAccessVectorValues.Floats values = (RandomAccessVectorValues.Floats) leaf.getFloatVectorValues("vec");
        FixedBitSet two = new FixedBitSet(2000);
        two.set(5);
        two.set(1500);
        // two accepted nodes: a walk for 10 results visits far more than 3 nodes
        assertThat(new GraphWalk(graph, values, unit(rnd, 8), 10, 3).search(two)).isFalse();
        GraphWalk unlimited = new GraphWalk(graph, values, unit(rnd, 8), 10, Long.MAX_VALUE);
        assertThat(unlimited.search(two)).isTrue();
        assertThat(unlimited.size()).isLessThanOrEqualTo(2);
      }
    }
  }

  /** An in-memory index of {@code n} random unit vectors in one segment, with its float32 HNSW graph. */
  private static ByteBuffersDirectory index(Random rnd, int n, int d, int maxConn, int beamWidth)
      throws java.io.IOException {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir,
        new IndexWriterConfig().setCodec(WriterFormats.codec(maxConn, beamWidth, 0, 1, null)))) {
      for (int i = 0; i < n; i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField("vec", unit(rnd, d), VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
    return dir;
  }

  private static float[] unit(Random rnd, int d) {
    float[] v = new float[d];
    double s = 0;
    for (int i = 0; i < d; i++) {
      v[i] = (float) rnd.nextGaussian();
      s += (double) v[i] * v[i];
    }
    for (int i = 0; i < d; i++) {
      v[i] = (float) (v[i] / Math.sqrt(s));
    }
    return v;
  }
}
