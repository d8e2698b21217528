package dev.bindspace.lucene.internal;

import dev.bindspace.MediaKind;
import dev.bindspace.MetadataFilter;
import dev.bindspace.Modality;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.internal.VectorKernels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * One search over a {@link View}.
 *
 * <ol>
 *   <li>Per segment, the accepted documents: live, not hidden by the overlay, of a target
 *       modality (postings of the {@code modality} field) and passing the metadata filter
 *       (evaluated on every candidate document's metadata before the vector search: pre-filtering;
 *       the predicate runs once per distinct metadata encoding per search).
 *   <li>If at most {@link Config#exactThreshold} documents are accepted in all, or a segment has
 *       no more than the beam width, scoring is exact (every accepted vector). Otherwise the
 *       segment's HNSW graph is searched with the filter inside the graph walk and a beam of
 *       {@code max(candidates, topK)}; if the walk visits more nodes than the segment has accepted
 *       documents (a restrictive filter), the segment is scored exactly instead, as Lucene does.
 *   <li>A float32 DOT_PRODUCT graph is walked by {@link GraphWalk}, whose scores are already the
 *       exact ones (the same kernel on the same vectors as the exact path): its results are final.
 *       From graphs that Lucene searches (quantised, COSINE), the best
 *       {@code ceil(topK * oversample)} candidates of all segments (ties at the cut included) are
 *       re-scored from the full-precision vectors.
 *   <li>Overlay entries are scored exactly.
 *   <li>All scores are cosines computed by one function, so equal vectors score equally wherever
 *       they are stored; hits are ordered by score, then id.
 * </ol>
 *
 * <p>Internal API.
 */
public final class VectorSearch {
  private static final VectorKernels KERNELS = VectorKernels.get();
  /** Distinct metadata encodings whose filter result one search remembers. */
  private static final int FILTER_MEMO_LIMIT = 1 << 14;

  /** Fixed parameters of an index's searches. */
  public static final class Config {
    final int fieldDimension;
    final boolean cosine;
    final boolean simdGraph;
    final int exactThreshold;
    final double oversample;
    final boolean graphOnly;
    final HeapSegments heap;

    /**
     * @param heap heap copies of segments for the float32 graph walk, or null to read Lucene's files
     * @param graphOnly tests only: search graphs even where the exact path would be taken
     */
    public Config(int fieldDimension, boolean cosine, boolean simdGraph, int exactThreshold, double oversample,
        HeapSegments heap, boolean graphOnly) {
      this.heap = heap;
      this.fieldDimension = fieldDimension;
      this.cosine = cosine;
      this.simdGraph = simdGraph;
      this.exactThreshold = exactThreshold;
      this.oversample = oversample;
      this.graphOnly = graphOnly;
    }
  }

  private final Config config;
  private final View view;
  private final float[] query;
  private final int topK;
  private final int beam;
  private final float minScore;
  private final int mediaMask; // bit (1 << code) per accepted media kind; -1 for all
  private final List<Modality> modalities; // null for all
  private final FilterMemo filter; // null for none
  private final List<LeafReaderContext> leaves;

  private VectorSearch(Config config, View view, SearchRequest r, int candidates) {
    this.config = config;
    this.view = view;
    this.query = unitQuery(r, config.fieldDimension);
    this.topK = r.topK();
    this.beam = Math.max(candidates, r.topK());
    this.minScore = r.minScore();
    if (r.targetModalities().isEmpty() || r.targetModalities().size() == Modality.values().length) {
      this.mediaMask = -1;
      this.modalities = null;
    } else {
      int mask = 0;
      for (MediaKind m : MediaKind.values()) {
        if (r.targetModalities().contains(m.modality())) {
          mask |= 1 << m.code();
        }
      }
      this.mediaMask = mask;
      this.modalities = new ArrayList<>(r.targetModalities());
    }
    this.filter = r.hasFilter() ? new FilterMemo(r.filter()) : null;
    this.leaves = view.reader.leaves();
  }

  /** Runs {@code r} over {@code view} with a graph beam of at least {@code candidates}. */
  public static List<SearchHit> run(Config config, View view, SearchRequest r, int candidates) throws IOException {
    return new VectorSearch(config, view, r, candidates).run();
  }

  /** The query scaled to unit length (double-precision norm), zero-padded to the field dimension. */
  static float[] unitQuery(SearchRequest r, int fieldDimension) {
    float[] q = r.query().toArray();
    double norm = r.query().norm();
    float[] out = new float[fieldDimension];
    for (int i = 0; i < q.length; i++) {
      out[i] = (float) (q[i] / norm);
    }
    return out;
  }

  /**
   * The reported score of a stored search vector: the dot product with the unit query, divided by
   * the vector's norm for COSINE fields (whose vectors are not normalised), clamped to [-1, 1].
   */
  public static float score(float[] unitQuery, float[] v, boolean cosine) {
    float s = KERNELS.dot(unitQuery, v, 0, unitQuery.length);
    if (cosine) {
      s = (float) (s / Math.sqrt(KERNELS.dot(v, v, 0, v.length)));
    }
    return s > 1f ? 1f : (s < -1f ? -1f : s);
  }

  private List<SearchHit> run() throws IOException {
    int n = leaves.size();
    Bits[] accept = new Bits[n];
    int[] count = new int[n];
    boolean[] filtered = new boolean[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      acceptedDocs(i, accept, count, filtered);
      total += count[i];
    }
    TopHits top = new TopHits(topK);
    boolean exactAll = total <= config.exactThreshold && !config.graphOnly;
    List<Candidate> approx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (count[i] == 0) {
        continue;
      }
      if (exactAll || (count[i] <= beam && !config.graphOnly) || !graphSearch(i, accept[i], count[i], filtered[i], top, approx)) {
        exactLeaf(i, accept[i], top);
      }
    }
    rescore(approx, top);
    for (Overlay.Pending p : view.overlay.added().values()) {
      if ((mediaMask & (1 << p.entry.embedding().media().code())) == 0
          || (filter != null && !filter.test(p.entry.metadata()))) {
        continue;
      }
      float s = score(query, p.searchVector, config.cosine);
      if (s >= minScore) {
        top.offer(s, -1, -1, p);
      }
    }
    return hits(top);
  }

  /** Fills accept/count/filtered for leaf {@code i}. */
  private void acceptedDocs(int i, Bits[] accept, int[] count, boolean[] filtered) throws IOException {
    LeafReader leaf = leaves.get(i).reader();
    Bits live = leaf.getLiveDocs();
    FixedBitSet hidden = view.hiddenDocs(i);
    if (modalities == null && filter == null) {
      count[i] = leaf.numDocs() - (hidden == null ? 0 : hidden.cardinality());
      accept[i] = live == null && hidden == null ? null : new LiveBits(live, hidden, leaf.maxDoc());
      return;
    }
    filtered[i] = true;
    FixedBitSet bits = new FixedBitSet(Math.max(1, leaf.maxDoc()));
    if (modalities == null) {
      bits.set(0, leaf.maxDoc());
    } else {
      Terms terms = leaf.terms(DocLayout.MODALITY);
      if (terms != null) {
        TermsEnum te = terms.iterator();
        PostingsEnum pe = null;
        for (Modality m : modalities) {
          if (te.seekExact(new BytesRef(m.name()))) {
            pe = te.postings(pe, PostingsEnum.NONE);
            bits.or(pe);
          }
        }
      }
    }
    if (leaf.maxDoc() == 0) {
      bits.clear(0);
    }
    if (live != null || hidden != null) {
      BitSetIterator it = new BitSetIterator(bits, 0);
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if ((live != null && !live.get(d)) || (hidden != null && hidden.get(d))) {
          bits.clear(d);
        }
      }
    }
    if (filter != null) {
      BinaryDocValues meta = leaf.getBinaryDocValues(DocLayout.META);
      BitSetIterator it = new BitSetIterator(bits, 0);
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        BytesRef m = meta != null && meta.advanceExact(d) ? meta.binaryValue() : null;
        if (!filter.test(m)) {
          bits.clear(d);
        }
      }
    }
    count[i] = bits.cardinality();
    accept[i] = bits;
  }

  /** Scores every accepted vector of leaf {@code i}. */
  private void exactLeaf(int i, Bits accept, TopHits top) throws IOException {
    FloatVectorValues values = leaves.get(i).reader().getFloatVectorValues(DocLayout.VEC);
    if (values == null) {
      return;
    }
    if (accept instanceof FixedBitSet) {
      BitSetIterator it = new BitSetIterator((FixedBitSet) accept, 0);
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (advance(values, d)) {
          offer(top, score(query, values.vectorValue(), config.cosine), i, d);
        }
      }
    } else {
      for (int d = values.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = values.nextDoc()) {
        if (accept == null || accept.get(d)) {
          offer(top, score(query, values.vectorValue(), config.cosine), i, d);
        }
      }
    }
  }

  /** Positions {@code values} on {@code doc} (targets ascend); false if that document has no vector. */
  private static boolean advance(FloatVectorValues values, int doc) throws IOException {
    int at = values.docID() < doc ? values.advance(doc) : values.docID();
    return at == doc;
  }

  private void offer(TopHits top, float s, int leaf, int doc) {
    if (s >= minScore) {
      top.offer(s, leaf, doc, null);
    }
  }

  /**
   * Searches leaf {@code i}'s graph; false when the walk stopped at the visit limit (the caller then
   * scores the leaf exactly). Float32 DOT_PRODUCT graphs are walked by {@link GraphWalk}, whose dot
   * products are bit for bit the scores of the exact path (same kernel, same query, same stored
   * vectors), so its results go straight to {@code top}. Other graphs are searched by Lucene and
   * their candidates appended to {@code approx} for re-scoring.
   */
  private boolean graphSearch(int i, Bits accept, int count, boolean filtered, TopHits top, List<Candidate> approx)
      throws IOException {
    LeafReader leaf = leaves.get(i).reader();
    // Lucene passes (accepted + 1) as the limit: a walk that visits every accepted node is still complete
    long visitLimit = filtered ? count + 1L : Long.MAX_VALUE;
    if (config.simdGraph) {
      HeapSegment heap = config.heap == null ? null
          : config.heap.get(leaf, () -> graph(leaf), () -> floats(leaf.getFloatVectorValues(DocLayout.VEC)));
      if (heap != null && heap.dense) { // ordinals are document numbers: nothing to open
        GraphWalk walk = new GraphWalk(null, null, heap, query, beam, visitLimit);
        if (!walk.search(accept)) {
          return false;
        }
        for (int j = 0; j < walk.size(); j++) {
          offer(top, clamp(walk.dot(j)), i, walk.node(j));
        }
        return true;
      }
      RandomAccessVectorValues.Floats ra = floats(leaf.getFloatVectorValues(DocLayout.VEC));
      HnswGraph graph = heap != null ? null : graph(leaf);
      if (ra != null && (heap != null || graph != null)) {
        GraphWalk walk = new GraphWalk(graph, ra, heap, query, beam, visitLimit);
        if (!walk.search(ra.getAcceptOrds(accept))) {
          return false;
        }
        for (int j = 0; j < walk.size(); j++) {
          offer(top, clamp(walk.dot(j)), i, ra.ordToDoc(walk.node(j)));
        }
        return true;
      }
    }
    TopKnnCollector collector = new TopKnnCollector(beam, (int) Math.min(Integer.MAX_VALUE, visitLimit));
    leaf.searchNearestVectors(DocLayout.VEC, query, collector, accept);
    if (collector.earlyTerminated()) {
      return false;
    }
    for (ScoreDoc sd : collector.topDocs().scoreDocs) {
      approx.add(new Candidate(sd.score, i, sd.doc));
    }
    return true;
  }

  /** The random-access view of a segment's vectors, or null when the codec gives none. */
  private static RandomAccessVectorValues.Floats floats(FloatVectorValues values) {
    return values instanceof RandomAccessVectorValues.Floats ? (RandomAccessVectorValues.Floats) values : null;
  }

  /** A dot product of unit vectors as a reported score: clamped to [-1, 1], as {@link #score} does. */
  private static float clamp(float s) {
    return s > 1f ? 1f : (s < -1f ? -1f : s);
  }

  /** The HNSW graph of the vector field of a segment, or null when it cannot be reached. */
  private static HnswGraph graph(LeafReader leaf) throws IOException {
    if (!(leaf instanceof CodecReader)) {
      return null;
    }
    KnnVectorsReader r = ((CodecReader) leaf).getVectorReader();
    if (r instanceof PerFieldKnnVectorsFormat.FieldsReader) {
      r = ((PerFieldKnnVectorsFormat.FieldsReader) r).getFieldReader(DocLayout.VEC);
    }
    if (!(r instanceof HnswGraphProvider)) {
      return null;
    }
    HnswGraph g = ((HnswGraphProvider) r).getGraph(DocLayout.VEC);
    return g.size() == 0 ? null : g;
  }

  /** Re-scores the best graph candidates with full-precision vectors. */
  private void rescore(List<Candidate> approx, TopHits top) throws IOException {
    if (approx.isEmpty()) {
      return;
    }
    approx.sort((a, b) -> Float.compare(b.score, a.score));
    int r = (int) Math.min(approx.size(), Math.max(topK, Math.ceil(topK * config.oversample)));
    while (r < approx.size() && approx.get(r).score == approx.get(r - 1).score) {
      r++; // a tie at the cut: keep all of it, the id decides later
    }
    List<Candidate> chosen = new ArrayList<>(approx.subList(0, r));
    chosen.sort(Comparator.<Candidate>comparingInt(c -> c.leaf).thenComparingInt(c -> c.doc));
    FloatVectorValues values = null;
    int leaf = -1;
    for (Candidate c : chosen) {
      int l = c.leaf;
      int d = c.doc;
      if (l != leaf) {
        leaf = l;
        values = leaves.get(l).reader().getFloatVectorValues(DocLayout.VEC);
      }
      if (advance(values, d)) {
        offer(top, score(query, values.vectorValue(), config.cosine), l, d);
      }
    }
  }

  /** Reads ids of the survivors, orders them by score then id, and reads media and metadata of the best k. */
  private List<SearchHit> hits(TopHits top) throws IOException {
    top.compact();
    int n = top.size;
    String[] ids = new String[n];
    int[] byDoc = new int[n];
    for (int j = 0; j < n; j++) {
      byDoc[j] = j;
    }
    IntBinaryOperator docOrder = (a, b) -> top.leaves[a] != top.leaves[b] ? Integer.compare(top.leaves[a], top.leaves[b])
        : Integer.compare(top.docs[a], top.docs[b]);
    sort(byDoc, docOrder);
    readIds(top, byDoc, ids);
    int[] order = byDoc.clone();
    sort(order, (a, b) -> {
      int c = Float.compare(top.scores[b], top.scores[a]);
      return c != 0 ? c : ids[a].compareTo(ids[b]);
    });
    int k = Math.min(topK, n);
    int[] best = Arrays.copyOf(order, k);
    MediaKind[] media = new MediaKind[n];
    @SuppressWarnings("unchecked")
    Map<String, String>[] meta = new Map[n];
    int[] bestByDoc = best.clone();
    sort(bestByDoc, docOrder);
    readMediaAndMetadata(top, bestByDoc, media, meta);
    List<SearchHit> out = new ArrayList<>(k);
    for (int j : best) {
      out.add(new SearchHit(ids[j], top.scores[j], media[j], meta[j]));
    }
    return out;
  }

  /** Sorts indexes by {@code cmp}: insertion sort for the usual handful, a boxed merge sort beyond. */
  static void sort(int[] idx, IntBinaryOperator cmp) {
    if (idx.length > 48) {
      Integer[] boxed = new Integer[idx.length];
      for (int i = 0; i < idx.length; i++) {
        boxed[i] = idx[i];
      }
      Arrays.sort(boxed, (a, b) -> cmp.applyAsInt(a, b));
      for (int i = 0; i < idx.length; i++) {
        idx[i] = boxed[i];
      }
      return;
    }
    for (int i = 1; i < idx.length; i++) {
      int v = idx[i];
      int j = i - 1;
      while (j >= 0 && cmp.applyAsInt(idx[j], v) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
  }

  private void readIds(TopHits top, int[] byDoc, String[] ids) throws IOException {
    int leaf = -2;
    BinaryDocValues dv = null;
    for (int j : byDoc) {
      int l = top.leaves[j];
      if (l < 0) {
        ids[j] = top.pending[j].entry.id();
        continue;
      }
      if (l != leaf) {
        leaf = l;
        dv = leaves.get(l).reader().getBinaryDocValues(DocLayout.ID);
      }
      if (!dv.advanceExact(top.docs[j])) {
        throw new IllegalStateException("document " + top.docs[j] + " of segment " + l + " has no id");
      }
      ids[j] = dv.binaryValue().utf8ToString();
    }
  }

  private void readMediaAndMetadata(TopHits top, int[] byDoc, MediaKind[] media, Map<String, String>[] meta)
      throws IOException {
    int leaf = -2;
    NumericDocValues mediaDv = null;
    BinaryDocValues metaDv = null;
    for (int j : byDoc) {
      int l = top.leaves[j];
      if (l < 0) {
        media[j] = top.pending[j].entry.embedding().media();
        meta[j] = top.pending[j].entry.metadata();
        continue;
      }
      if (l != leaf) {
        leaf = l;
        mediaDv = leaves.get(l).reader().getNumericDocValues(DocLayout.MEDIA);
        metaDv = leaves.get(l).reader().getBinaryDocValues(DocLayout.META);
      }
      int d = top.docs[j];
      if (!mediaDv.advanceExact(d)) {
        throw new IllegalStateException("document " + d + " of segment " + l + " has no media kind");
      }
      media[j] = MediaKind.fromCode((int) mediaDv.longValue());
      meta[j] = metaDv != null && metaDv.advanceExact(d) ? DocLayout.decodeMetadata(metaDv.binaryValue()) : Map.of();
    }
  }

  /** A graph search result: approximate score, segment and document. */
  private static final class Candidate {
    final float score;
    final int leaf;
    final int doc;

    Candidate(float score, int leaf, int doc) {
      this.score = score;
      this.leaf = leaf;
      this.doc = doc;
    }
  }

  /** Live and not hidden. */
  private static final class LiveBits implements Bits {
    private final Bits live;
    private final FixedBitSet hidden;
    private final int length;

    LiveBits(Bits live, FixedBitSet hidden, int length) {
      this.live = live;
      this.hidden = hidden;
      this.length = length;
    }

    @Override
    public boolean get(int index) {
      return (live == null || live.get(index)) && (hidden == null || !hidden.get(index));
    }

    @Override
    public int length() {
      return length;
    }
  }

  /** A metadata filter that runs once per distinct metadata encoding within one search. */
  private static final class FilterMemo {
    private final MetadataFilter filter;
    private final Map<BytesRef, Boolean> memo = new HashMap<>();
    private Boolean empty;

    FilterMemo(MetadataFilter filter) {
      this.filter = filter;
    }

    boolean test(BytesRef encoded) {
      if (encoded == null || encoded.length == 0) {
        if (empty == null) {
          empty = filter.test(Map.of());
        }
        return empty;
      }
      Boolean r = memo.get(encoded);
      if (r == null) {
        r = filter.test(DocLayout.decodeMetadata(encoded));
        if (memo.size() < FILTER_MEMO_LIMIT) {
          memo.put(BytesRef.deepCopyOf(encoded), r);
        }
      }
      return r;
    }

    boolean test(Map<String, String> metadata) {
      return filter.test(metadata);
    }
  }
}
