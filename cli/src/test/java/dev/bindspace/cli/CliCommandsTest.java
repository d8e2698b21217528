package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.CliContext;
import dev.bindspace.cli.internal.IndexStore;
import dev.bindspace.cli.internal.ModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands in-process with the deterministic {@link FakeEmbedder}: outputs, exit codes, messages. */
class CliCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  Path media;

  @BeforeEach
  void makeMedia() throws IOException {
    media = Files.createDirectories(tmp.resolve("media"));
    Files.createDirectories(media.resolve("sub"));
    Files.writeString(media.resolve("dog.txt"), "a dog on the beach\n");
    Files.writeString(media.resolve("sub/market.txt"), "stock market news\n");
    Files.write(media.resolve("cat.jpg"), "jpeg bytes of a cat".getBytes(StandardCharsets.US_ASCII));
    Files.write(media.resolve("sub/rain.wav"), "RIFF rain sound, forty bytes of audio..".getBytes(StandardCharsets.US_ASCII));
    Files.write(media.resolve("walk.mp4"), "video: a walk in the park".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(media.resolve("notes.rst"), "not media\n");
  }

  static CliRun run(String... args) {
    return CliRun.run(FakeEmbedder::all, args);
  }

  // ---- usage and exit codes

  @Test
  void should_exit_2_on_usage_errors() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
    CliRun r = run("search", "--index", "x.bsix");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--text").contains("--expr");
    assertThat(run("search", "--index", "x", "--text", "a", "--image", "b.jpg").code()).isEqualTo(2);
    assertThat(run("embed").err()).contains("nothing to embed");
    assertThat(run("embed", "--format", "npy", "--text", "a").err()).contains("--out");
    assertThat(run("classify", "--labels", "dog", "--text", "a").err()).contains("at least two labels");
    assertThat(run("index", "add", "--index", "x.bsix").code()).isEqualTo(2);
    assertThat(run("index", "add", "--index", "x.bsix", "--progress", "fancy", "d").err()).contains("--progress");
  }

  @Test
  void should_print_help_and_exit_0() {
    CliRun r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("info", "embed", "index", "search", "classify", "report", "Exit codes");
  }

  @Test
  void should_exit_4_when_the_model_cannot_be_opened() {
    CliRun r = CliRun.run(() -> {
      throw new ModelException("cannot open model /nope.zip: no such file", null);
    }, "info", "--model", "/nope.zip");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.err()).contains("/nope.zip");
  }

  @Test
  void should_exit_4_for_a_bundle_that_does_not_exist_with_the_real_model_loader() {
    CliRun r = CliRun.run(CliContext.defaults(), "info", "--model", tmp.resolve("missing-bundle").toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("missing-bundle");
  }

  @Test
  void should_exit_4_for_a_broken_bundle_naming_it() throws IOException {
    Path bundle = Files.createDirectories(tmp.resolve("broken-bundle"));
    Files.writeString(bundle.resolve("bundle.json"), "{\"format_version\": 1}");
    CliRun r = CliRun.run(CliContext.defaults(), "embed", "--model", bundle.toString(), "--text", "x");
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("broken-bundle");
  }

  @Test
  void should_exit_3_when_the_output_cannot_be_written() {
    Path out = tmp.resolve("no-such-dir/e.jsonl");
    CliRun r = run("embed", "--text", "a", "--out", out.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).contains("cannot write " + out);
  }

  @Test
  void should_print_model_info() {
    CliRun r = run("info");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("model:       fake 1", "space:       fake-space", "dimension:   16",
        "licence:     Apache-2.0");
  }

  // ---- embed

  @Test
  void should_embed_texts_and_files_as_json_lines() throws IOException {
    CliRun r = run("embed", "--text", "a dog", media.resolve("cat.jpg").toString(),
        media.resolve("sub/rain.wav").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> lines = jsonLines(r.out());
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).get("input").asText()).isEqualTo("a dog");
    assertThat(lines.get(0).get("modality").asText()).isEqualTo("text");
    assertThat(lines.get(0).get("dimension").asInt()).isEqualTo(16);
    assertThat(lines.get(0).get("embedding")).hasSize(16);
    assertThat(lines.get(0).has("raw")).as("raw equals joint for the fake text tower").isFalse();
    assertThat(lines.get(1).get("modality").asText()).isEqualTo("image");
    assertThat(lines.get(1).get("raw").get(0).floatValue() / lines.get(1).get("embedding").get(0).floatValue())
        .isCloseTo(20f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(lines.get(2).get("modality").asText()).isEqualTo("audio");
  }

  @Test
  void should_embed_moments_with_their_times() {
    CliRun r = run("embed", "--moments", media.resolve("sub/rain.wav").toString());
    List<JsonNode> lines = jsonLines(r.out());
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1).get("start").asDouble()).isEqualTo(2.0);
    assertThat(lines.get(1).get("end").asDouble()).isEqualTo(4.0);
  }

  @Test
  void should_write_npy() throws IOException {
    Path out = tmp.resolve("e.npy");
    CliRun r = run("embed", "--format", "npy", "--out", out.toString(), "--text", "a", "--text", "b",
        media.resolve("cat.jpg").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    byte[] b = Files.readAllBytes(out);
    assertThat(new String(b, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    assertThat(header).contains("'descr': '<f4'", "'shape': (3, 16)");
    assertThat((10 + headerLen) % 64).isZero();
    assertThat(b.length).isEqualTo(10 + headerLen + 3 * 16 * 4);
    float first = ByteBuffer.wrap(b, 10 + headerLen, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    float[] expected = FakeEmbedder.vector("a");
    double norm = 0;
    for (float v : expected) {
      norm += v * v;
    }
    assertThat((double) first).isCloseTo(expected[0] / Math.sqrt(norm), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void should_exit_3_naming_the_file_for_bad_inputs() throws IOException {
    CliRun missing = run("embed", tmp.resolve("nope.jpg").toString());
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).contains("nope.jpg");
    CliRun unknown = run("embed", media.resolve("notes.rst").toString());
    assertThat(unknown.code()).isEqualTo(3);
    assertThat(unknown.err()).contains("notes.rst", "--modality");
    Files.writeString(media.resolve("bad.png"), "BROKEN png");
    CliRun broken = run("embed", media.resolve("bad.png").toString());
    assertThat(broken.code()).isEqualTo(3);
    assertThat(broken.err()).contains("bad.png");
    CliRun noEncoder = CliRun.run(() -> new FakeEmbedder(EnumSet.of(MediaKind.TEXT), 0), "embed",
        media.resolve("cat.jpg").toString());
    assertThat(noEncoder.code()).isEqualTo(3);
    assertThat(noEncoder.err()).contains("no encoder for IMAGE files in this build", "cat.jpg");
  }

  @Test
  void should_force_a_kind_with_modality() {
    CliRun r = run("embed", "--modality", "text", media.resolve("notes.rst").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(jsonLines(r.out()).get(0).get("modality").asText()).isEqualTo("text");
  }

  // ---- index

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw"})
  void should_index_a_folder_recursively_and_report_stats(String type) {
    Path index = tmp.resolve("idx-" + type);
    CliRun r = run("index", "create", "--index", index.toString(), "--index-type", type, "--moments",
        media.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("5 new, 0 changed, 0 unchanged files", "1 ignored");
    assertThat(r.err()).contains("indexing 5/5 (100%)");

    CliRun stats = run("index", "stats", "--index", index.toString());
    assertThat(stats.code()).as(stats.toString()).isZero();
    assertThat(stats.out()).contains("(" + type + ")", "entries:    8", "files:      5");
    assertThat(lines(stats.out(), "text")).containsPattern("text\\s+2\\s+2\\s+0");
    assertThat(lines(stats.out(), "image")).containsPattern("image\\s+1\\s+1\\s+0");
    assertThat(lines(stats.out(), "audio")).containsPattern("audio\\s+3\\s+1\\s+3");
    assertThat(lines(stats.out(), "video")).containsPattern("video\\s+2\\s+1\\s+2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw"})
  void should_add_only_new_or_changed_files_when_rerun(String type) throws IOException {
    Path index = tmp.resolve("idx-" + type);
    assertThat(run("index", "add", "--index", index.toString(), "--index-type", type, "--moments",
        media.toString()).code()).isZero();
    Map<String, String> before = snapshot(index);

    CliRun again = run("index", "add", "--index", index.toString(), "--moments", media.toString());
    assertThat(again.out()).as(again.toString()).contains("0 new, 0 changed, 5 unchanged files; 0 entries written");
    assertThat(snapshot(index)).isEqualTo(before);

    Files.writeString(media.resolve("dog.txt"), "a dog in the snow\n");
    Files.write(media.resolve("sub/rain.wav"), "RIFF short".getBytes(StandardCharsets.US_ASCII)); // 3 moments -> 1
    Files.writeString(media.resolve("sub/new.txt"), "a new note\n");
    CliRun changed = run("index", "add", "--index", index.toString(), "--moments", media.toString());
    assertThat(changed.out()).as(changed.toString())
        .contains("1 new, 2 changed, 3 unchanged files; 3 entries written, 2 removed");
    Map<String, String> after = snapshot(index);
    assertThat(after).hasSize(before.size() - 2 + 1);
    String dog = media.resolve("dog.txt").toAbsolutePath().toString();
    assertThat(after.get(dog)).isNotEqualTo(before.get(dog));
    assertThat(after.keySet().stream().filter(id -> id.contains("rain.wav"))).hasSize(1);

    // the text of a file now finds it with cosine 1
    CliRun hit = run("search", "--index", index.toString(), "--text", "a dog in the snow", "--k", "1");
    assertThat(hit.out()).as(hit.toString()).containsPattern("1\\s+1\\.000\\s+text\\s+" + java.util.regex.Pattern.quote(dog));
  }

  @Test
  void should_skip_and_report_broken_and_unsupported_files() throws IOException {
    Files.writeString(media.resolve("broken.png"), "BROKEN png data");
    Files.writeString(media.resolve("crash.gif"), "CRASH gif data");
    Path index = tmp.resolve("i.bsix");
    CliRun r = CliRun.run(() -> new FakeEmbedder(EnumSet.of(MediaKind.TEXT, MediaKind.IMAGE), 0), "index", "add",
        "--index", index.toString(), media.toString(), tmp.resolve("ghost").toString(),
        media.resolve("notes.rst").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("3 new", "6 skipped");
    assertThat(r.err()).contains("skipped 6 file(s)", "broken.png", "ghost: no such file or folder",
        "cannot embed " + media.resolve("crash.gif").toAbsolutePath() + ": java.lang.IllegalStateException: decoder crashed",
        "notes.rst: not a media file", "no encoder for AUDIO files in this build", "rain.wav",
        "no encoder for VIDEO files in this build", "walk.mp4");
    assertThat(run("index", "stats", "--index", index.toString()).out()).contains("entries:    3");
  }

  @Test
  void should_remove_entries_under_a_path_and_missing_files() throws IOException {
    Path index = tmp.resolve("i.bsix");
    run("index", "add", "--index", index.toString(), "--moments", media.toString());
    CliRun r = run("index", "remove", "--index", index.toString(), media.resolve("sub").toString());
    assertThat(r.out()).as(r.toString()).contains("removed 4 entries; 4 left");
    Files.delete(media.resolve("cat.jpg"));
    CliRun m = run("index", "remove", "--index", index.toString(), "--missing");
    assertThat(m.out()).as(m.toString()).contains("removed 1 entries; 3 left");
    assertThat(snapshot(index).keySet()).allMatch(id -> id.contains("dog.txt") || id.contains("walk.mp4"));
  }

  @Test
  void should_refuse_an_index_of_another_space_naming_it() {
    Path index = tmp.resolve("i.bsix");
    run("index", "add", "--index", index.toString(), media.resolve("dog.txt").toString());
    CliRun r = CliRun.run(() -> new FakeEmbedder(EnumSet.of(MediaKind.TEXT), 0, "other-space"), "search",
        "--index", index.toString(), "--text", "x");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains(index.toString(), "fake-space", "other-space");
  }

  @Test
  void should_exit_3_for_a_damaged_or_missing_index() throws IOException {
    Path bad = tmp.resolve("bad.bsix");
    Files.writeString(bad, "not an index");
    CliRun r = run("index", "stats", "--index", bad.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("bad.bsix");
    CliRun m = run("search", "--index", tmp.resolve("none.bsix").toString(), "--text", "x");
    assertThat(m.code()).isEqualTo(3);
    assertThat(m.err()).contains("none.bsix", "does not exist");
    CliRun exists = run("index", "create", "--index", bad.toString());
    assertThat(exists.code()).isEqualTo(3);
    assertThat(exists.err()).contains("already exists");
  }

  // ---- search

  @Test
  void should_search_with_expressions_filters_and_print_moment_times() {
    Path index = tmp.resolve("i.bsix");
    run("index", "add", "--index", index.toString(), "--moments", media.toString());
    Path wav = media.resolve("sub/rain.wav");
    CliRun r = run("search", "--index", index.toString(), "--expr",
        "audio:" + wav + " + 0.5*text:'a dog on the beach' - 0.1*image:" + media.resolve("cat.jpg"),
        "--modality", "audio,text");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("00:00.0–00:02.0").doesNotContain("cat.jpg", "walk.mp4");

    CliRun j = run("search", "--index", index.toString(), "--text", "a dog on the beach", "--format", "jsonl",
        "--k", "3");
    List<JsonNode> hits = jsonLines(j.out());
    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).get("path").asText()).endsWith("dog.txt");
    assertThat(hits.get(0).get("score").floatValue()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(hits.get(0).get("rank").asInt()).isEqualTo(1);

    CliRun moments = run("search", "--index", index.toString(), "--video", media.resolve("walk.mp4").toString(),
        "--modality", "video", "--format", "jsonl");
    assertThat(jsonLines(moments.out())).allSatisfy(h -> {
      assertThat(h.get("modality").asText()).isEqualTo("video");
      assertThat(h.has("start")).isTrue();
    });
  }

  @Test
  void should_point_at_the_error_in_a_bad_expression() {
    Path index = tmp.resolve("i.bsix");
    CliRun r = run("search", "--index", index.toString(), "--expr", "image:a.jpg + 0.5 audio:b.wav");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("column 19: expected '*' after the weight 0.5, found 'a'")
        .contains("image:a.jpg + 0.5 audio:b.wav\n" + " ".repeat(20) + "^");
  }

  @Test
  void should_exit_3_naming_a_missing_query_file() {
    Path index = tmp.resolve("i.bsix");
    run("index", "add", "--index", index.toString(), media.resolve("dog.txt").toString());
    CliRun r = run("search", "--index", index.toString(), "--expr", "text:'x' + image:" + tmp.resolve("gone.jpg"));
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("gone.jpg", "column 12");
  }

  // ---- classify

  @Test
  void should_classify_with_prompt_templates() throws IOException {
    // The fake text tower maps a text to one fixed vector, so the template text of a label is its exact match.
    Files.writeString(media.resolve("q.txt"), "a text about cat.\n");
    CliRun r = run("classify", "--labels", "dog, cat ,car", "--text", "a text about car.", "--format", "jsonl",
        media.resolve("q.txt").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> lines = jsonLines(r.out());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("labels").get(0).get("label").asText()).isEqualTo("car");
    assertThat(lines.get(1).get("input").asText()).endsWith("q.txt");
    assertThat(lines.get(1).get("labels").get(0).get("label").asText()).isEqualTo("cat");
    assertThat(lines.get(1).get("labels")).hasSize(3);
    CliRun table = run("classify", "--labels", "dog,cat", "--text", "x", "--top", "1");
    assertThat(table.out()).containsPattern("x \\[text\\]:  (dog|cat) \\d\\.\\d{3} \\(cos -?\\d\\.\\d{3}\\)");
  }

  // ---- helpers

  static List<JsonNode> jsonLines(String out) {
    return out.lines().filter(l -> !l.isBlank()).map(l -> {
      try {
        return JSON.readTree(l);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + l, e);
      }
    }).collect(Collectors.toList());
  }

  static String lines(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
  }

  /** id -> sha256|vector bits of every entry. */
  static Map<String, String> snapshot(Path index) {
    Map<String, String> m = new TreeMap<>();
    try (IndexStore s = IndexStore.open(index)) {
      for (IndexStore.Stored e : s.entries()) {
        float[] v = s.index().get(e.id()).orElseThrow().embedding().toArray();
        m.put(e.id(), e.metadata().get(IndexStore.SHA256) + "|" + java.util.Arrays.toString(v));
      }
    }
    return m;
  }
}
