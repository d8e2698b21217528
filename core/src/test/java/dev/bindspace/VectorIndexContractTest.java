package dev.bindspace;

import static dev.bindspace.SearchAssertions.assertEquivalent;
import static dev.bindspace.SearchAssertions.assertMatchesReference;
import static dev.bindspace.SearchAssertions.assertWellFormed;
import static dev.bindspace.SearchAssertions.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link VectorIndex} must have. Each implementation (and each configuration of
 * one) gets a subclass that only implements {@link #newIndex}; other modules reuse this class
 * through the {@code bindspace-core:test-jar} artifact.
 *
 * <p>Only the {@link VectorIndex} API is used, the data sets are small, and the expected answers
 * are exact (computed in double precision by {@link ReferenceSearch}), allowing only near-ties of
 * less than {@link #TIE} to come back in either order.
 */
public abstract class VectorIndexContractTest {
  /** The space of the indexes under test. */
  protected static final String SPACE = "contract-space";
  /** Exact scores closer than this may be returned in either order. */
  protected static final double TIE = 1e-6;
  /** A reported score may differ this much from the double-precision cosine. */
  protected static final double SCORE = 1e-5;

  private final List<VectorIndex> created = new ArrayList<>();
  protected Random rnd;

  /** A new, empty index of {@code space} and {@code dimension}. Closed by the test base. */
  protected abstract VectorIndex newIndex(String space, int dimension);

  /** A new index, closed after the test. */
  protected final VectorIndex index(int dimension) {
    VectorIndex index = newIndex(SPACE, dimension);
    created.add(index);
    return index;
  }

  @BeforeEach
  void seed(TestInfo info) {
    rnd = TestRandom.forTest(info);
  }

  @AfterEach
  void closeIndexes() {
    for (VectorIndex i : created) {
      i.close();
    }
  }

  private Embedding random(MediaKind media, int d) {
    return TestVectors.embedding(rnd, SPACE, media, d);
  }

  private static Embedding vec(MediaKind media, float... values) {
    return Embedding.of(SPACE, media, values);
  }

  // ------------------------------------------------------------------------------ add / get

  @Test
  void should_return_an_added_entry_bit_exact_with_media_and_metadata() {
    VectorIndex index = index(7);
    float[] awkward = {-0.0f, Float.MIN_VALUE, 1e-30f, -3.4e37f, 0.1f, Float.MIN_NORMAL, 12345.678f};
    List<IndexEntry> entries = new ArrayList<>();
    for (MediaKind m : MediaKind.values()) {
      float[] v = m == MediaKind.TEXT ? awkward : TestVectors.gaussian(rnd, 7);
      entries.add(IndexEntry.of("id-" + m, Embedding.of(SPACE, m, v),
          Map.of("kind", m.name(), "empty", "", "ключ", "値 ✓")));
    }
    entries.add(IndexEntry.of("no-metadata", random(MediaKind.AUDIO, 7)));
    for (IndexEntry e : entries) {
      index.add(e);
    }

    for (IndexEntry e : entries) {
      Optional<IndexEntry> got = index.get(e.id());
      assertThat(got).as(e.id()).contains(e);
      assertThat(TestVectors.bits(got.get().embedding().toArray())).as("bits of %s", e.id())
          .containsExactly(TestVectors.bits(e.embedding().toArray()));
      assertThat(got.get().embedding().media()).isEqualTo(e.embedding().media());
      assertThat(got.get().embedding().space()).isEqualTo(SPACE);
      assertThat(got.get().metadata()).isEqualTo(e.metadata());
      assertThat(index.contains(e.id())).isTrue();
    }
    assertThat(index.get("id-text")).isEmpty(); // ids are case-sensitive
    assertThat(index.contains("missing")).isFalse();
    assertThat(index.size()).isEqualTo(entries.size());
  }

  @Test
  void should_refuse_to_add_an_existing_id_naming_it_and_keep_the_first_entry() {
    VectorIndex index = index(5);
    IndexEntry first = IndexEntry.of("dup-id", random(MediaKind.IMAGE, 5), Map.of("v", "1"));
    index.add(first);
    IndexEntry second = IndexEntry.of("dup-id", random(MediaKind.TEXT, 5), Map.of("v", "2"));

    assertThatThrownBy(() -> index.add(second)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dup-id");
    assertThatThrownBy(() -> index.addAll(List.of(IndexEntry.of("fresh", random(MediaKind.TEXT, 5)), second)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dup-id");

    assertThat(index.get("dup-id")).contains(first);
    assertThat(index.contains("fresh")).isFalse();
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void should_insert_or_replace_on_upsert() {
    VectorIndex index = index(6);
    IndexEntry v1 = IndexEntry.of("x", random(MediaKind.IMAGE, 6), Map.of("version", "1"));
    IndexEntry other = IndexEntry.of("y", random(MediaKind.TEXT, 6));
    index.upsert(v1); // inserts
    index.add(other);
    assertThat(index.get("x")).contains(v1);

    IndexEntry v2 = IndexEntry.of("x", random(MediaKind.VIDEO, 6), Map.of("version", "2", "extra", "e"));
    index.upsert(v2);

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.get("x")).contains(v2);
    List<SearchHit> hits = index.search(SearchRequest.of(v2.embedding(), 10));
    assertThat(ids(hits)).containsOnlyOnce("x");
    SearchHit x = hits.stream().filter(h -> h.id().equals("x")).findFirst().orElseThrow();
    assertThat(x.media()).isEqualTo(MediaKind.VIDEO);
    assertThat(x.metadata()).isEqualTo(v2.metadata());
    assertThat((double) x.score()).isCloseTo(1.0, within(SCORE));
    // the old vector is gone: searching for it scores x by its new vector
    SearchHit viaOld = index.search(SearchRequest.of(v1.embedding(), 10)).stream()
        .filter(h -> h.id().equals("x")).findFirst().orElseThrow();
    assertThat((double) viaOld.score()).isCloseTo(v1.embedding().cosine(v2.embedding()), within(SCORE));
  }

  @Test
  void should_upsert_a_batch_replacing_some_and_inserting_others() {
    VectorIndex index = index(4);
    List<IndexEntry> initial = TestVectors.entries(rnd, SPACE, 4, 5, "e");
    index.addAll(initial);
    IndexEntry replaced = IndexEntry.of("e2", random(MediaKind.THERMAL, 4), Map.of("new", "yes"));
    IndexEntry inserted = IndexEntry.of("e9", random(MediaKind.DEPTH, 4));

    index.upsertAll(List.of(replaced, inserted));

    assertThat(index.size()).isEqualTo(6);
    assertThat(index.get("e2")).contains(replaced);
    assertThat(index.get("e9")).contains(inserted);
    assertThat(index.get("e0")).contains(initial.get(0));
  }

  // ------------------------------------------------------------------------- batch atomicity

  /** Ways to spoil one entry of a batch. */
  enum BadEntry {
    WRONG_DIMENSION, WRONG_SPACE, ZERO_VECTOR, ID_REPEATED_IN_BATCH, ID_ALREADY_PRESENT
  }

  private List<IndexEntry> spoiledBatch(BadEntry bad, int d) {
    List<IndexEntry> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batch.add(IndexEntry.of("batch-" + i, random(MediaKind.values()[i % 7], d), Map.of("i", "" + i)));
    }
    IndexEntry spoiled;
    switch (bad) {
      case WRONG_DIMENSION:
        spoiled = IndexEntry.of("bad", TestVectors.embedding(rnd, SPACE, MediaKind.TEXT, d + 1));
        break;
      case WRONG_SPACE:
        spoiled = IndexEntry.of("bad", TestVectors.embedding(rnd, "another-space", MediaKind.TEXT, d));
        break;
      case ZERO_VECTOR:
        spoiled = IndexEntry.of("bad", Embedding.of(SPACE, MediaKind.TEXT, new float[d]));
        break;
      case ID_REPEATED_IN_BATCH:
        spoiled = IndexEntry.of("batch-1", random(MediaKind.TEXT, d));
        break;
      case ID_ALREADY_PRESENT:
        spoiled = IndexEntry.of("old-1", random(MediaKind.TEXT, d));
        break;
      default:
        throw new AssertionError(bad);
    }
    batch.add(3, spoiled); // in the middle: entries before and after it are valid
    return batch;
  }

  private void assertUnchanged(VectorIndex index, List<IndexEntry> before, List<IndexEntry> batch) {
    assertThat(index.size()).isEqualTo(before.size());
    for (IndexEntry e : before) {
      assertThat(index.get(e.id())).as(e.id()).contains(e);
    }
    for (int i = 0; i < 6; i++) {
      assertThat(index.contains("batch-" + i)).as("batch-%d was not added", i).isFalse();
    }
    assertThat(index.contains("bad")).isFalse();
    for (IndexEntry e : batch) {
      if (e.embedding().dimension() == index.dimension() && e.embedding().space().equals(SPACE)
          && e.embedding().norm() > 0) {
        assertThat(ids(index.search(SearchRequest.of(e.embedding(), 20))))
            .containsExactlyInAnyOrderElementsOf(before.stream().map(IndexEntry::id).toList());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BadEntry.class)
  void should_change_nothing_when_addAll_has_one_bad_entry(BadEntry bad) {
    VectorIndex index = index(8);
    List<IndexEntry> before = TestVectors.entries(rnd, SPACE, 8, 3, "old-");
    index.addAll(before);
    List<IndexEntry> batch = spoiledBatch(bad, 8);

    assertThatThrownBy(() -> index.addAll(batch)).isInstanceOf(IllegalArgumentException.class);

    assertUnchanged(index, before, batch);
    List<IndexEntry> good = new ArrayList<>(batch);
    good.remove(3); // without the spoiled entry the same batch goes in
    index.addAll(good);
    assertThat(index.size()).isEqualTo(9);
  }

  @ParameterizedTest
  @EnumSource(value = BadEntry.class, names = "ID_ALREADY_PRESENT", mode = EnumSource.Mode.EXCLUDE)
  void should_change_nothing_when_upsertAll_has_one_bad_entry(BadEntry bad) {
    VectorIndex index = index(8);
    List<IndexEntry> before = TestVectors.entries(rnd, SPACE, 8, 3, "old-");
    index.addAll(before);
    List<IndexEntry> batch = spoiledBatch(bad, 8);
    batch.add(IndexEntry.of("old-2", random(MediaKind.IMU, 8))); // a replacement that must not happen

    assertThatThrownBy(() -> index.upsertAll(batch)).isInstanceOf(IllegalArgumentException.class);

    assertUnchanged(index, before, batch);
  }

  @Test
  void should_accept_empty_batches() {
    VectorIndex index = index(3);
    index.addAll(List.of());
    index.upsertAll(List.of());
    assertThat(index.size()).isZero();
  }

  // ---------------------------------------------------------------------------- remove / size

  @Test
  void should_remove_entries_and_never_return_them() {
    VectorIndex index = index(9);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, 9, 40, "r");
    index.addAll(entries);

    assertThat(index.remove("r7")).isTrue();
    assertThat(index.remove("r7")).isFalse();
    assertThat(index.remove("never-there")).isFalse();
    for (int i = 10; i < 40; i += 3) {
      assertThat(index.remove("r" + i)).isTrue();
    }

    Map<String, IndexEntry> live = new LinkedHashMap<>();
    for (IndexEntry e : entries) {
      live.put(e.id(), e);
    }
    live.remove("r7");
    for (int i = 10; i < 40; i += 3) {
      live.remove("r" + i);
    }
    assertThat(index.size()).isEqualTo(live.size());
    assertThat(index.get("r7")).isEmpty();
    assertThat(index.contains("r7")).isFalse();
    for (IndexEntry e : entries) {
      // a query equal to a removed vector must not bring it back, even with room for everything
      List<SearchHit> hits = index.search(SearchRequest.of(e.embedding(), 100));
      assertThat(ids(hits)).containsExactlyInAnyOrderElementsOf(live.keySet());
    }
    List<List<SearchHit>> batch = index.searchAll(List.of(SearchRequest.of(entries.get(7).embedding(), 100)));
    assertThat(ids(batch.get(0))).containsExactlyInAnyOrderElementsOf(live.keySet());

    index.add(entries.get(7)); // a removed id can be added again
    assertThat(index.get("r7")).contains(entries.get(7));
    assertThat(index.search(SearchRequest.of(entries.get(7).embedding(), 1)).get(0).id()).isEqualTo("r7");
  }

  @Test
  void should_count_live_entries() {
    VectorIndex index = index(3);
    assertThat(index.size()).isZero();
    index.add(IndexEntry.of("a", random(MediaKind.TEXT, 3)));
    index.addAll(List.of(IndexEntry.of("b", random(MediaKind.TEXT, 3)), IndexEntry.of("c", random(MediaKind.TEXT, 3))));
    assertThat(index.size()).isEqualTo(3);
    index.upsert(IndexEntry.of("a", random(MediaKind.AUDIO, 3)));
    assertThat(index.size()).isEqualTo(3);
    index.upsert(IndexEntry.of("d", random(MediaKind.AUDIO, 3)));
    assertThat(index.size()).isEqualTo(4);
    index.remove("b");
    assertThat(index.size()).isEqualTo(3);
    index.remove("b");
    assertThat(index.size()).isEqualTo(3);
  }

  @Test
  void should_report_its_space_and_dimension() {
    VectorIndex index = newIndex("some-space", 13);
    created.add(index);
    assertThat(index.space()).isEqualTo("some-space");
    assertThat(index.dimension()).isEqualTo(13);
  }

  // ---------------------------------------------------------------------------- mismatches

  @Test
  void should_refuse_entries_of_another_space_or_dimension_naming_both_values() {
    VectorIndex index = index(12);
    IndexEntry wrongSpace = IndexEntry.of("s", TestVectors.embedding(rnd, "other-space", MediaKind.TEXT, 12));
    IndexEntry wrongDim = IndexEntry.of("d", random(MediaKind.TEXT, 13));

    assertThatThrownBy(() -> index.add(wrongSpace)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-space").hasMessageContaining(SPACE);
    assertThatThrownBy(() -> index.upsert(wrongSpace)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-space").hasMessageContaining(SPACE);
    assertThatThrownBy(() -> index.add(wrongDim)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13").hasMessageContaining("12");
    assertThatThrownBy(() -> index.upsert(wrongDim)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13").hasMessageContaining("12");
    assertThat(index.size()).isZero();
  }

  @Test
  void should_refuse_queries_of_another_space_or_dimension_naming_both_values() {
    VectorIndex index = index(12);
    index.add(IndexEntry.of("a", random(MediaKind.TEXT, 12)));
    SearchRequest wrongSpace = SearchRequest.of(TestVectors.embedding(rnd, "other-space", MediaKind.TEXT, 12));
    SearchRequest wrongDim = SearchRequest.of(random(MediaKind.TEXT, 13));
    SearchRequest fine = SearchRequest.of(random(MediaKind.TEXT, 12));

    assertThatThrownBy(() -> index.search(wrongSpace)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-space").hasMessageContaining(SPACE);
    assertThatThrownBy(() -> index.search(wrongDim)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13").hasMessageContaining("12");
    assertThatThrownBy(() -> index.searchAll(List.of(fine, wrongSpace))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-space").hasMessageContaining(SPACE);
    assertThatThrownBy(() -> index.searchAll(List.of(fine, wrongDim))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13").hasMessageContaining("12");
  }

  // --------------------------------------------------------------------------------- ranking

  @Test
  void should_sort_best_first_and_break_exact_ties_by_ascending_id() {
    // 100 = 6 x 16 + 4: SIMD blocks, several accumulator chains and a scalar tail all take part
    int d = 100;
    VectorIndex index = index(d);
    Embedding tiedVector = random(MediaKind.IMAGE, d);
    List<String> tiedIds = new ArrayList<>(List.of("t-b", "t-a", "t-e", "T-z", "t-c", "t-d", "t-10", "t-9"));
    Collections.shuffle(tiedIds, rnd);
    List<IndexEntry> entries = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      entries.add(IndexEntry.of("noise-" + i, random(MediaKind.TEXT, d)));
    }
    Collections.shuffle(entries, rnd);
    // 23 rows: ties in the first row and in the three last rows (tail rows: 23 is not a multiple
    // of 4), the others scattered; identical vectors must score identically wherever they are stored
    List<IndexEntry> tied = new ArrayList<>();
    for (String id : tiedIds) {
      tied.add(IndexEntry.of(id, tiedVector.withMedia(MediaKind.values()[rnd.nextInt(7)])));
    }
    entries.add(0, tied.get(0));
    for (IndexEntry e : tied.subList(4, tied.size())) {
      entries.add(1 + rnd.nextInt(entries.size()), e);
    }
    entries.addAll(tied.subList(1, 4));
    for (IndexEntry e : entries) { // one by one, as rows 0..22 in this order
      index.add(e);
    }
    List<String> tiedSorted = new ArrayList<>(tiedIds);
    Collections.sort(tiedSorted); // String order: "T-z" < "t-10" < "t-9" < "t-a" ...

    for (int round = 0; round < 6; round++) { // rounding differences show for some queries only
      // not the tied vector itself: a score of exactly 1 would be clamped and hide rounding differences
      Embedding q = tiedVector.add(random(MediaKind.TEXT, d).scale(0.7)).withMedia(MediaKind.TEXT);
      assertThat(q.cosine(tiedVector)).isBetween(0.3, 0.95);
      List<SearchHit> all = index.search(SearchRequest.of(q, 50));
      assertWellFormed(all);
      assertThat(ids(all).subList(0, tiedIds.size())).containsExactlyElementsOf(tiedSorted);
      assertThat(all.subList(0, tiedIds.size())).extracting(SearchHit::score).containsOnly(all.get(0).score());

      // the cut falls inside the tie: the smallest ids win
      assertThat(ids(index.search(SearchRequest.of(q, 3)))).containsExactlyElementsOf(tiedSorted.subList(0, 3));
      List<List<SearchHit>> batch = index.searchAll(List.of(SearchRequest.of(q, 3), SearchRequest.of(q, 50)));
      assertThat(ids(batch.get(0))).containsExactlyElementsOf(tiedSorted.subList(0, 3));
      assertThat(ids(batch.get(1)).subList(0, tiedIds.size())).containsExactlyElementsOf(tiedSorted);
      assertWellFormed(batch.get(1));
      // the opposite direction: the tie is at the bottom, still in id order
      List<SearchHit> reversed = index.search(SearchRequest.of(q.scale(-1), 50));
      assertWellFormed(reversed);
      assertThat(ids(reversed).subList(reversed.size() - tiedIds.size(), reversed.size()))
          .containsExactlyElementsOf(tiedSorted);
    }
  }

  @Test
  void should_return_the_exact_best_hits_best_first() {
    int d = 24;
    VectorIndex index = index(d);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, d, 300, "e");
    index.addAll(entries);
    for (int q = 0; q < 10; q++) {
      SearchRequest r = SearchRequest.of(random(MediaKind.TEXT, d), 1 + rnd.nextInt(30));
      assertMatchesReference(index.search(r), entries, r, TIE, SCORE);
    }
  }

  @Test
  void should_return_at_most_topK_hits() {
    VectorIndex index = index(5);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, 5, 30, "k");
    index.addAll(entries);
    Embedding q = random(MediaKind.TEXT, 5);

    assertThat(index.search(SearchRequest.of(q, 1))).hasSize(1);
    assertThat(index.search(SearchRequest.of(q))).hasSize(SearchRequest.DEFAULT_TOP_K);
    assertThat(index.search(SearchRequest.of(q, 29))).hasSize(29);
    assertThat(index.search(SearchRequest.of(q, 30))).hasSize(30);
    assertThat(index.search(SearchRequest.of(q, SearchRequest.MAX_TOP_K))).hasSize(30);
    for (int k : new int[] {1, 7, 30, 31}) {
      SearchRequest r = SearchRequest.of(q, k);
      assertMatchesReference(index.search(r), entries, r, TIE, SCORE);
    }
  }

  @Test
  void should_return_nothing_from_an_empty_index() {
    VectorIndex index = index(4);
    assertThat(index.search(SearchRequest.of(random(MediaKind.TEXT, 4)))).isEmpty();
    assertThat(index.searchAll(List.of(SearchRequest.of(random(MediaKind.TEXT, 4))))).containsExactly(List.of());
    assertThat(index.searchAll(List.of())).isEmpty();
  }

  @Test
  void should_drop_hits_below_minScore() {
    VectorIndex index = index(2);
    // unit vectors at known angles from the query (1, 0): cosines 1, .866, .5, 0, -.5, -.866, -1
    int[] degrees = {0, 30, 60, 90, 120, 150, 180};
    for (int deg : degrees) {
      double a = Math.toRadians(deg);
      index.add(IndexEntry.of("deg" + deg, vec(MediaKind.IMAGE, (float) Math.cos(a), (float) Math.sin(a))));
    }
    Embedding q = vec(MediaKind.TEXT, 1, 0);

    assertThat(ids(index.search(SearchRequest.builder(q).minScore(0.4f).build())))
        .containsExactly("deg0", "deg30", "deg60");
    assertThat(ids(index.search(SearchRequest.builder(q).minScore(-0.1f).build())))
        .containsExactly("deg0", "deg30", "deg60", "deg90");
    assertThat(ids(index.search(SearchRequest.builder(q).minScore(0.99f).build()))).containsExactly("deg0");
    assertThat(ids(index.search(SearchRequest.builder(q).minScore(-1f).build()))).hasSize(7).endsWith("deg180");
    assertThat(ids(index.search(SearchRequest.builder(q).minScore(0.4f).topK(2).build())))
        .containsExactly("deg0", "deg30");
    List<List<SearchHit>> batch = index.searchAll(List.of(SearchRequest.builder(q).minScore(0.4f).build(),
        SearchRequest.builder(q.scale(-1)).minScore(0.4f).build()));
    assertThat(ids(batch.get(0))).containsExactly("deg0", "deg30", "deg60");
    assertThat(ids(batch.get(1))).containsExactly("deg180", "deg150", "deg120");
  }

  @Test
  void should_return_only_target_modalities_with_video_and_image_both_vision() {
    int d = 16;
    VectorIndex index = index(d);
    Embedding textQuery = random(MediaKind.TEXT, d);
    List<IndexEntry> entries = new ArrayList<>();
    for (MediaKind m : MediaKind.values()) {
      for (int i = 0; i < 4; i++) {
        // the TEXT entries are the query itself: the best matches, which a VISION target must skip
        Embedding e = m == MediaKind.TEXT ? textQuery.scale(Math.scalb(1.0, i)) : random(m, d);
        entries.add(IndexEntry.of(m + "-" + i, e));
      }
    }
    index.addAll(entries);

    List<SearchHit> vision = index.search(SearchRequest.builder(textQuery).topK(100)
        .targetModalities(Modality.VISION).build());
    assertThat(vision).hasSize(8).extracting(SearchHit::modality).containsOnly(Modality.VISION);
    assertThat(vision).extracting(SearchHit::media).contains(MediaKind.IMAGE, MediaKind.VIDEO);

    SearchRequest visionAudio = SearchRequest.builder(textQuery).topK(5)
        .targetModalities(Modality.VISION, Modality.AUDIO).build();
    List<SearchHit> va = index.search(visionAudio);
    assertThat(va).hasSize(5).extracting(SearchHit::media)
        .allMatch(m -> EnumSet.of(MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.AUDIO).contains(m));
    assertMatchesReference(va, entries, visionAudio, TIE, SCORE);

    List<SearchHit> text = index.search(SearchRequest.builder(textQuery).topK(100)
        .targetModalities(Modality.TEXT).build());
    assertThat(ids(text)).containsExactly("TEXT-0", "TEXT-1", "TEXT-2", "TEXT-3"); // all score 1: id order

    List<SearchHit> any = index.search(SearchRequest.of(textQuery, 100));
    assertThat(any).hasSize(entries.size());
    List<List<SearchHit>> batch = index.searchAll(List.of(visionAudio,
        SearchRequest.builder(textQuery).topK(100).targetModalities(Set.of(Modality.IMU, Modality.DEPTH)).build()));
    assertEquivalent(batch.get(0), va, SCORE);
    assertThat(batch.get(1)).hasSize(8).extracting(SearchHit::media)
        .containsOnly(MediaKind.IMU, MediaKind.DEPTH);
  }

  @Test
  void should_prefilter_by_metadata_so_rare_matches_are_found_even_if_they_score_low() {
    int d = 16;
    VectorIndex index = index(d);
    Embedding q = random(MediaKind.TEXT, d);
    List<IndexEntry> entries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      boolean rare = i == 17 || i == 503 || i == 998;
      // the rare entries point away from the query: they score lowest of all
      Embedding e = rare ? q.scale(-(1 + i)).add(random(MediaKind.TEXT, d).scale(0.01)) : random(MediaKind.TEXT, d);
      Map<String, String> meta = new HashMap<>();
      meta.put("tag", rare ? "rare" : "common");
      meta.put("bucket", Integer.toString(i % 40));
      entries.add(IndexEntry.of("e" + i, e, meta));
    }
    index.addAll(entries);

    SearchRequest rare = SearchRequest.builder(q).topK(10).filter(MetadataFilter.equalTo("tag", "rare")).build();
    List<SearchHit> hits = index.search(rare);
    assertThat(ids(hits)).containsExactlyInAnyOrder("e17", "e503", "e998");
    assertThat(hits).allSatisfy(h -> assertThat(h.score()).isLessThan(-0.9f));
    assertMatchesReference(hits, entries, rare, TIE, SCORE);

    // 25 matches, 10 wanted: the 10 best of the 25
    SearchRequest bucket = SearchRequest.builder(q).topK(10)
        .filter(MetadataFilter.in("bucket", Set.of("3")).and(MetadataFilter.equalTo("tag", "common"))).build();
    List<SearchHit> b = index.search(bucket);
    assertThat(b).hasSize(10).allSatisfy(h -> assertThat(h.metadata()).containsEntry("bucket", "3"));
    assertMatchesReference(b, entries, bucket, TIE, SCORE);

    SearchRequest none = SearchRequest.builder(q).filter(MetadataFilter.hasKey("nope")).build();
    assertThat(index.search(none)).isEmpty();

    List<List<SearchHit>> batch = index.searchAll(List.of(rare, bucket, none));
    assertEquivalent(batch.get(0), hits, SCORE);
    assertEquivalent(batch.get(1), b, SCORE);
    assertThat(batch.get(2)).isEmpty();
  }

  @Test
  void should_answer_searchAll_like_search_for_each_request_in_order() {
    int d = 24;
    VectorIndex index = index(d);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, d, 300, "e");
    index.addAll(entries);
    List<SearchRequest> requests = new ArrayList<>();
    for (int q = 0; q < 12; q++) {
      SearchRequest.Builder b = SearchRequest.builder(random(MediaKind.values()[q % 7], d)).topK(1 + rnd.nextInt(20));
      if (q % 3 == 1) {
        b.minScore(0.1f);
      }
      if (q % 4 == 2) {
        b.targetModalities(Modality.VISION);
      }
      if (q % 5 == 3) {
        b.filter(MetadataFilter.equalTo("parity", "odd"));
      }
      requests.add(b.build());
    }
    requests.add(requests.get(4)); // the same request twice

    List<List<SearchHit>> batch = index.searchAll(requests);

    assertThat(batch).hasSameSizeAs(requests);
    for (int i = 0; i < requests.size(); i++) {
      List<SearchHit> single = index.search(requests.get(i));
      assertEquivalent(batch.get(i), single, SCORE);
      assertMatchesReference(batch.get(i), entries, requests.get(i), TIE, SCORE);
    }
    List<List<SearchHit>> one = index.searchAll(List.of(requests.get(5)));
    assertEquivalent(one.get(0), index.search(requests.get(5)), SCORE);
  }

  @Test
  void should_report_raw_cosine_scores_never_rescaled() {
    int d = 10;
    VectorIndex index = index(d);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, d, 60, "c");
    index.addAll(entries);
    Embedding q = random(MediaKind.TEXT, d);
    index.add(IndexEntry.of("same-direction", q.scale(250)));
    index.add(IndexEntry.of("opposite", q.scale(-0.5)));
    Map<String, Embedding> byId = new HashMap<>();
    entries.forEach(e -> byId.put(e.id(), e.embedding()));
    byId.put("same-direction", q.scale(250));
    byId.put("opposite", q.scale(-0.5));

    List<SearchHit> hits = index.search(SearchRequest.of(q, 100));

    assertThat(hits).hasSize(62);
    for (SearchHit h : hits) {
      assertThat((double) h.score()).as(h.id()).isCloseTo(q.cosine(byId.get(h.id())), within(SCORE))
          .isBetween(-1.0, 1.0);
    }
    assertThat(hits.get(0).id()).isEqualTo("same-direction");
    assertThat((double) hits.get(0).score()).isCloseTo(1.0, within(SCORE));
    assertThat(hits.get(hits.size() - 1).id()).isEqualTo("opposite");
    assertThat((double) hits.get(hits.size() - 1).score()).isCloseTo(-1.0, within(SCORE));
    assertThat(hits).filteredOn(h -> h.score() < 0).hasSizeGreaterThan(5); // not squeezed into [0, 1]
    List<SearchHit> batch = index.searchAll(List.of(SearchRequest.of(q, 100))).get(0);
    for (SearchHit h : batch) {
      assertThat((double) h.score()).as(h.id()).isCloseTo(q.cosine(byId.get(h.id())), within(SCORE));
    }
  }

  @Test
  void should_score_vectors_of_extreme_but_valid_magnitudes_as_cosines() {
    int d = 32;
    VectorIndex index = index(d);
    List<IndexEntry> entries = new ArrayList<>();
    double[] scales = {1e20, 1e-20, 1, 3e15, 1e-15};
    for (int i = 0; i < 40; i++) {
      // any finite vector with a finite, non-zero float norm is a valid entry
      entries.add(IndexEntry.of("m" + i, random(MediaKind.values()[i % 7], d).scale(scales[i % scales.length])));
    }
    index.addAll(entries);
    for (double qs : new double[] {1, 1e25, 1e-25}) {
      for (int q = 0; q < 4; q++) {
        Embedding query = q == 0 ? entries.get(2).embedding() : random(MediaKind.TEXT, d); // entry 2 has scale 1
        SearchRequest r = SearchRequest.of(query.scale(qs), 40);
        List<SearchHit> hits = index.search(r);
        assertThat(hits).as("all entries, query scale %s", qs).hasSize(40);
        assertMatchesReference(hits, entries, r, TIE, SCORE);
        assertMatchesReference(index.searchAll(List.of(r, r)).get(1), entries, r, TIE, SCORE);
      }
    }
  }

  // ------------------------------------------------------------------------------- lifecycle

  @Test
  void should_close_idempotently_and_refuse_every_operation_afterwards() {
    VectorIndex index = index(4);
    IndexEntry e = IndexEntry.of("a", random(MediaKind.TEXT, 4));
    index.add(e);
    SearchRequest r = SearchRequest.of(random(MediaKind.TEXT, 4));

    index.close();
    assertThatCode(index::close).doesNotThrowAnyException();

    IndexEntry f = IndexEntry.of("b", random(MediaKind.TEXT, 4));
    assertThatThrownBy(() -> index.add(f)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.addAll(List.of(f))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.upsert(e)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.upsertAll(List.of(e))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.remove("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.get("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.contains("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(index::size).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.search(r)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.searchAll(List.of(r))).isInstanceOf(IllegalStateException.class);
    assertThatCode(index::close).doesNotThrowAnyException();
  }

  @Test
  void should_work_in_try_with_resources() {
    Embedding q = random(MediaKind.TEXT, 3);
    VectorIndex outer;
    try (VectorIndex index = newIndex(SPACE, 3)) {
      outer = index;
      index.add(IndexEntry.of("a", q));
      assertThat(index.search(SearchRequest.of(q)).get(0).id()).isEqualTo("a");
    }
    assertThatThrownBy(() -> outer.search(SearchRequest.of(q))).isInstanceOf(IllegalStateException.class);
  }
}
