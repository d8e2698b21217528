package dev.bindspace.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * One consistent state of the index: a near-real-time reader plus the {@link Overlay} of writes
 * made after it was opened. The index publishes a new view after every write; a search reads one.
 * The reader's reference count is owned by the index while the view is current, and taken by each
 * search that uses it.
 *
 * <p>Internal API.
 */
public final class View {
  public final DirectoryReader reader;
  public final Overlay overlay;
  private volatile FixedBitSet[] hiddenDocs; // per leaf, null entries for leaves without hidden docs

  public View(DirectoryReader reader, Overlay overlay) {
    this.reader = reader;
    this.overlay = overlay;
  }

  /** This view's reader with another overlay. */
  public View with(Overlay o) {
    return new View(reader, o);
  }

  /** Number of live entries. */
  public int size() {
    return reader.numDocs() - overlay.hidden().size() + overlay.added().size();
  }

  /** The live document with this key in the reader, ignoring the overlay: {@code leaf << 32 | doc}, or -1. */
  public long findInReader(BytesRef key) {
    try {
      List<LeafReaderContext> leaves = reader.leaves();
      for (int i = 0; i < leaves.size(); i++) {
        LeafReader leaf = leaves.get(i).reader();
        Terms terms = leaf.terms(DocLayout.KEY);
        if (terms == null) {
          continue;
        }
        TermsEnum te = terms.iterator();
        if (!te.seekExact(key)) {
          continue;
        }
        Bits live = leaf.getLiveDocs();
        PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
        for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
          if (live == null || live.get(doc)) {
            return ((long) i << 32) | doc;
          }
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code id} has a live document in the reader that the overlay does not hide. */
  public boolean liveInReader(String id) {
    return !overlay.hidden().contains(id) && findInReader(DocLayout.key(id)) >= 0;
  }

  /** Documents of leaf {@code leaf} hidden by the overlay, or {@code null} when none are. */
  public FixedBitSet hiddenDocs(int leaf) {
    if (overlay.hidden().isEmpty()) {
      return null;
    }
    FixedBitSet[] h = hiddenDocs;
    if (h == null) {
      // computed at most a few times concurrently, then cached: the view is immutable
      List<LeafReaderContext> leaves = reader.leaves();
      h = new FixedBitSet[leaves.size()];
      for (String id : overlay.hidden()) {
        long at = findInReader(DocLayout.key(id));
        if (at >= 0) {
          int l = (int) (at >>> 32);
          if (h[l] == null) {
            h[l] = new FixedBitSet(leaves.get(l).reader().maxDoc());
          }
          h[l].set((int) at);
        }
      }
      hiddenDocs = h;
    }
    return h[leaf];
  }
}
