package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.FlatIndex;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.MetadataFilter;
import dev.bindspace.Modality;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.ZeroShotClassifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tour of the core API: cross-modal search, metadata filters, embedding arithmetic, batch search,
 * zero-shot classification, an ImageBind-style similarity matrix, save and reopen.
 *
 * <p>The embeddings come from {@link SyntheticJointSpace}: <b>generated vectors, not a trained
 * model</b>, so the tour shows the core API on its own (no model, no native inference); the program
 * says so. {@link QuickStart} runs a real model, bindspace-mini. Its output is the same
 * on every run. Run it with {@code --add-modules jdk.incubator.vector} for the SIMD scan kernel.
 */
public final class CoreQuickStart {
  /** The joint-space id of the generated embeddings. */
  public static final String SPACE = "synthetic-demo";
  /** Embedding dimension, as bindspace-mini will have. */
  public static final int DIMENSION = 384;
  /** Seed of the generated space; the output is a function of it. */
  public static final long SEED = 42;
  /** The concepts of the demo, in table order. */
  public static final List<String> CONCEPTS = List.of("dog", "cat", "car", "bird", "rain", "bell");
  /** How the text prompts name each concept. */
  private static final Map<String, String> PHRASES = Map.of(
      "dog", "a dog", "cat", "a cat", "car", "a car", "bird", "a bird", "rain", "rain", "bell", "a bell");

  private CoreQuickStart() {
  }

  /** What the tour found, for the test that checks the retrievals come out right. */
  record Report(List<SearchHit> crossModal, SearchHit bestWithoutTargets, List<SearchHit> filtered,
      List<SearchHit> arithmetic, List<List<SearchHit>> batch, List<ZeroShotClassifier.Prediction> zeroShot,
      double[][] visionTextSoftmax, int reopenedSize, List<SearchHit> reopenedCrossModal) {
  }

  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** Runs the tour, printing to {@code out}. */
  static Report run(PrintStream out) throws IOException {
    SyntheticJointSpace space = new SyntheticJointSpace(SPACE, DIMENSION, SEED, CONCEPTS);
    out.println("bindspace quick start: the core API on GENERATED vectors");
    out.println("This tour needs no model: every embedding below is generated (a random direction");
    out.println("per concept + a per-modality offset + noise, see SyntheticJointSpace), so the scores show what");
    out.println("the API does with a joint space, not how well a real model retrieves.");

    try (FlatIndex index = FlatIndex.create(SPACE, DIMENSION)) {
      // Every concept as a caption, an image, a sound and a video, plus two scenes showing two concepts.
      for (String c : CONCEPTS) {
        String collection = c.equals("rain") ? "weather" : List.of("dog", "cat", "bird").contains(c) ? "animals" : "city";
        index.add(item(space, c + ".txt", MediaKind.TEXT, collection, c));
        index.add(item(space, c + ".jpg", MediaKind.IMAGE, collection, c));
        index.add(item(space, c + ".wav", MediaKind.AUDIO, collection, c));
        // A video is a VISION embedding marked MediaKind.VIDEO (ImageBind embeds video clips with its vision tower).
        index.add(item(space, c + ".mp4", MediaKind.VIDEO, collection, c));
      }
      index.add(item(space, "dog-in-rain.jpg", MediaKind.IMAGE, "animals", "dog", "rain"));
      index.add(item(space, "car-in-rain.mp4", MediaKind.VIDEO, "city", "car", "rain"));
      out.printf(Locale.ROOT, "%nIndex: %d entries (%d concepts x text/image/audio/video + 2 scenes), %d-d,%n"
          + "space '%s', scan kernel %s%n", index.size(), CONCEPTS.size(), DIMENSION, SPACE, index.kernel());

      // 1. Cross-modal retrieval: a text query, images/videos and sounds as answers.
      Embedding dogText = space.embed("a photo of a dog", MediaKind.TEXT, "dog");
      List<SearchHit> crossModal = index.search(SearchRequest.builder(dogText)
          .topK(4).targetModalities(Modality.VISION, Modality.AUDIO).build());
      SearchHit bestAny = index.search(SearchRequest.of(dogText, 1)).get(0);
      out.printf("%n1. Cross-modal search: text \"a photo of a dog\" -> VISION (images, videos) and AUDIO%n");
      printHits(out, crossModal);
      out.printf(Locale.ROOT, "   Without targetModalities the best hit is %s (%s, %.3f): embeddings of one modality%n"
          + "   sit together (the modality gap), so choose the target modalities.%n",
          bestAny.id(), bestAny.media(), bestAny.score());

      // 2. A metadata filter runs inside the scan: topK hits among the entries that pass it.
      List<SearchHit> filtered = index.search(SearchRequest.builder(space.embed("rain", MediaKind.TEXT, "rain"))
          .topK(3).targetModalities(Modality.VISION, Modality.AUDIO)
          .filter(MetadataFilter.equalTo("collection", "animals")).build());
      out.printf("%n2. Metadata filter: text \"rain\" -> VISION and AUDIO where collection = animals%n");
      printHits(out, filtered);

      // 3. Arithmetic: an image plus a sound (each normalised first) is a query for both.
      Embedding dogImage = index.get("dog.jpg").orElseThrow().embedding();
      Embedding rainSound = index.get("rain.wav").orElseThrow().embedding();
      Embedding dogPlusRain = dogImage.normalize().add(rainSound.normalize());
      List<SearchHit> arithmetic = index.search(SearchRequest.builder(dogPlusRain)
          .topK(3).targetModalities(Modality.VISION).build());
      out.printf("%n3. Arithmetic: image(dog.jpg) + audio(rain.wav) -> VISION; the scene with both comes first%n");
      printHits(out, arithmetic);

      // 4. Batch: searchAll scans the vectors once for all queries (8 or more go through ND4J/OpenBLAS).
      List<SearchRequest> requests = new ArrayList<>();
      for (String c : CONCEPTS) {
        requests.add(SearchRequest.builder(space.embed("a video of " + PHRASES.get(c), MediaKind.TEXT, c))
            .topK(1).targetModalities(Modality.VISION).filter(MetadataFilter.equalTo("format", "mp4")).build());
      }
      List<List<SearchHit>> batch = index.searchAll(requests);
      out.printf("%n4. Batch search: %d text prompts in one searchAll, videos only (format = mp4)%n", requests.size());
      for (int i = 0; i < CONCEPTS.size(); i++) {
        SearchHit h = batch.get(i).get(0);
        out.printf(Locale.ROOT, "   %-22s -> %s (%s, %.3f)%n",
            "\"a video of " + PHRASES.get(CONCEPTS.get(i)) + "\"", h.id(), h.media(), h.score());
      }

      // 5. Zero-shot classification: cosine to one text embedding per label, softmax with temperature 0.01.
      List<Embedding> prompts = new ArrayList<>();
      ZeroShotClassifier.Builder labels = ZeroShotClassifier.builder();
      for (String c : CONCEPTS) {
        Embedding prompt = space.embed("a photo of " + PHRASES.get(c), MediaKind.TEXT, c);
        prompts.add(prompt);
        labels.label(c, prompt);
      }
      ZeroShotClassifier classifier = labels.build();
      List<ZeroShotClassifier.Prediction> zeroShot =
          classifier.classify(index.get("bell.wav").orElseThrow().embedding());
      out.printf(Locale.ROOT, "%n5. Zero-shot: audio bell.wav against %d text labels (softmax, temperature %.2f), top 3%n",
          CONCEPTS.size(), classifier.temperature());
      for (ZeroShotClassifier.Prediction p : zeroShot.subList(0, 3)) {
        out.printf(Locale.ROOT, "   %-5s p=%.4f  cos %.3f%n", p.label(), p.probability(), p.cosine());
      }

      // 6. ImageBind's README prints softmax(vision @ text.T); the same with the classifier's softmax.
      double[][] cosine = new double[CONCEPTS.size()][];
      double[][] softmax = new double[CONCEPTS.size()][];
      for (int i = 0; i < CONCEPTS.size(); i++) {
        Embedding image = index.get(CONCEPTS.get(i) + ".jpg").orElseThrow().embedding();
        cosine[i] = new double[CONCEPTS.size()];
        softmax[i] = new double[CONCEPTS.size()];
        for (ZeroShotClassifier.Prediction p : classifier.classify(image)) {
          int j = CONCEPTS.indexOf(p.label());
          cosine[i][j] = p.cosine();
          softmax[i][j] = p.probability();
        }
      }
      out.printf("%n6. Vision x Text: cosine similarity, rows = images, columns = \"a photo of ...\"%n");
      printMatrix(out, cosine, "%8.3f");
      out.printf("   Vision x Text: softmax(cosine / 0.01) per row, as ImageBind's README prints it%n");
      printMatrix(out, softmax, "%8.1e");

      // 7. Save (atomic, checksummed) and reopen (memory-mapped); the same search gives the same hits.
      Path file = Files.createTempFile("bindspace-quickstart-", ".bsix");
      try {
        index.save(file);
        long bytes = Files.size(file);
        try (FlatIndex reopened = FlatIndex.open(file)) {
          List<SearchHit> again = reopened.search(SearchRequest.builder(dogText)
              .topK(4).targetModalities(Modality.VISION, Modality.AUDIO).build());
          out.printf("%n7. Saved %d entries (%d bytes) to a temporary .bsix file and reopened it: %d entries,%n"
              + "   search 1 returns %s hits.%n", index.size(), bytes, reopened.size(),
              again.equals(crossModal) ? "the same" : "DIFFERENT");
          return new Report(crossModal, bestAny, filtered, arithmetic, batch, zeroShot, softmax,
              reopened.size(), again);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  /** An entry of the generated space with the metadata the filters use. */
  private static IndexEntry item(SyntheticJointSpace space, String id, MediaKind media, String collection,
      String... concepts) {
    String format = id.substring(id.lastIndexOf('.') + 1);
    return IndexEntry.of(id, space.embed(id, media, concepts),
        Map.of("collection", collection, "format", format, "concepts", String.join(",", concepts)));
  }

  private static void printHits(PrintStream out, List<SearchHit> hits) {
    for (SearchHit h : hits) {
      out.printf(Locale.ROOT, "   %.3f  %-16s %-6s %s%n", h.score(), h.id(), h.media(), h.metadata().get("collection"));
    }
  }

  private static void printMatrix(PrintStream out, double[][] m, String cellFormat) {
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "   %-9s", ""));
    for (String c : CONCEPTS) {
      head.append(String.format(Locale.ROOT, "%8s", c));
    }
    out.println(head);
    for (int i = 0; i < m.length; i++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "   %-9s", CONCEPTS.get(i) + ".jpg"));
      for (double v : m[i]) {
        row.append(String.format(Locale.ROOT, cellFormat, v));
      }
      out.println(row);
    }
  }
}
