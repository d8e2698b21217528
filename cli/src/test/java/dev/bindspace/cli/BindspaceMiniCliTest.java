package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.CliContext;
import dev.bindspace.cli.internal.EmbeddedItem;
import dev.bindspace.cli.internal.Granularity;
import dev.bindspace.cli.internal.MediaEmbedder;
import dev.bindspace.cli.internal.ModelInfo;
import dev.bindspace.cli.internal.ModelMediaEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the real default model, bindspace-mini from the classpath (its text tower, MiniLM). */
class BindspaceMiniCliTest {
  @TempDir
  Path tmp;

  /** bindspace-mini opened once for the class (each real CLI run opens and closes its own). */
  private static ModelMediaEmbedder shared;

  @BeforeAll
  static void open() {
    shared = ModelMediaEmbedder.open(Optional.empty());
  }

  @AfterAll
  static void close() {
    shared.close();
  }

  /** The CLI with the shared model; {@code close()} from a command leaves it open. */
  static CliRun run(String... args) {
    MediaEmbedder keepOpen = new MediaEmbedder() {
      @Override
      public ModelInfo info() {
        return shared.info();
      }

      @Override
      public List<EmbeddedItem> embed(Path file, MediaKind kind, Granularity granularity) {
        return shared.embed(file, kind, granularity);
      }

      @Override
      public List<EmbeddedItem> embedTexts(List<String> texts) {
        return shared.embedTexts(texts);
      }

      @Override
      public void close() {
      }
    };
    return CliRun.run(new CliContext(m -> keepOpen, false), args);
  }

  @Test
  void should_describe_bindspace_mini() {
    CliRun r = CliRun.run(CliContext.defaults(), "info");   // the default path: opens bindspace-mini itself
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("model:       bindspace-mini", "space:       bindspace-mini-v1", "dimension:   384",
        "licence:     Apache-2.0", "graph text:");
  }

  @Test
  void should_embed_text_with_joint_and_raw_outputs() {
    CliRun r = run("embed", "--text", "a dog on the beach");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode line = CliCommandsTest.jsonLines(r.out()).get(0);
    assertThat(line.get("dimension").asInt()).isEqualTo(384);
    assertThat(norm(line.get("embedding"))).isCloseTo(1.0, within(1e-5));
    assertThat(line.has("raw")).as("MiniLM's raw output is the un-normalised mean").isTrue();
    assertThat(norm(line.get("raw"))).isNotCloseTo(1.0, within(1e-3));
  }

  @Test
  void should_refuse_a_truncated_image_as_an_input_error_naming_the_file() throws IOException {
    Path png = tmp.resolve("photo.png");
    Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    CliRun r = run("embed", png.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).contains("photo.png");
  }

  @Test
  void should_index_real_media_and_name_each_broken_file_once_with_its_decoders_reason() throws IOException {
    Path media = Files.createDirectories(tmp.resolve("media"));
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(48, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
    img.setRGB(3, 4, 0xff8800);
    javax.imageio.ImageIO.write(img, "png", media.resolve("ok.png").toFile());
    long seed = 8;   // fixed: random bytes with media extensions, as a user's broken downloads
    System.out.println("seed " + seed);
    java.util.Random rnd = new java.util.Random(seed);
    for (String name : List.of("garbage.mp4", "garbage.ogg")) {
      byte[] junk = new byte[4096];
      rnd.nextBytes(junk);
      Files.write(media.resolve(name), junk);
    }
    Files.write(media.resolve("empty.png"), new byte[0]);
    Files.write(media.resolve("liar.wav"), new byte[] {'R', 'I', 'F', 'F', -1, -1, -1, 127, 'W', 'A', 'V', 'E'});

    CliRun r = run("index", "add", "--index", tmp.resolve("m.bsix").toString(), "--progress", "none", media.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("1 new,").contains("4 skipped");
    List<String> reasons = r.err().lines().filter(l -> l.startsWith("  cannot embed ")).toList();
    assertThat(reasons).as(r.err()).hasSize(4);
    for (String line : reasons) {
      String file = line.substring("  cannot embed ".length(), line.indexOf(" as "));
      assertThat(line.split(java.util.regex.Pattern.quote(file), -1)).as(line).hasSize(2);   // named once
      assertThat(line).doesNotContain("setFormat").doesNotContain("VisionInput[");
    }
  }

  @Test
  void should_index_and_search_text_files_by_meaning() throws IOException {
    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("dog.txt"), "A golden retriever plays fetch on the beach.");
    Files.writeString(notes.resolve("market.txt"), "The stock market fell sharply on Tuesday.");
    Files.writeString(notes.resolve("cookies.txt"), "A recipe for chocolate chip cookies.");
    Path index = tmp.resolve("notes.bsix");
    CliRun add = run("index", "add", "--index", index.toString(), notes.toString());
    assertThat(add.code()).as(add.toString()).isZero();
    CliRun s = run("search", "--index", index.toString(), "--expr", "text:'a puppy' - 0.3*text:'money'",
        "--format", "jsonl");
    assertThat(s.code()).as(s.toString()).isZero();
    List<JsonNode> hits = CliCommandsTest.jsonLines(s.out());
    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).get("path").asText()).endsWith("dog.txt");
    CliRun c = run("classify", "--labels", "sports,cooking,finance", "--text", "how to bake chocolate cookies",
        "--format", "jsonl", "--top", "1");
    assertThat(CliCommandsTest.jsonLines(c.out()).get(0).get("labels").get(0).get("label").asText())
        .isEqualTo("cooking");
  }

  private static double norm(JsonNode a) {
    double s = 0;
    for (JsonNode v : a) {
      s += v.asDouble() * v.asDouble();
    }
    return Math.sqrt(s);
  }
}
