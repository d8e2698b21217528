package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLoaderTest {
  @TempDir Path tmp;

  static void zip(Path dir, Path zipFile, String... extraEntries) throws IOException {
    try (OutputStream os = Files.newOutputStream(zipFile); ZipOutputStream z = new ZipOutputStream(os);
         Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        z.putNextEntry(new ZipEntry(p.getFileName().toString()));
        z.write(Files.readAllBytes(p));
        z.closeEntry();
      }
      for (String e : extraEntries) {
        z.putNextEntry(new ZipEntry(e));
        z.write("evil".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
  }

  @Test
  void should_open_a_directory_and_verify_every_file() {
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir())) {
      BundleManifest m = b.manifest();
      assertThat(m.formatVersion()).isEqualTo(1);
      assertThat(m.modelName()).isEqualTo("standin");
      assertThat(m.dimension()).isEqualTo(32);
      assertThat(m.graphs().keySet()).containsExactly(MediaKind.TEXT, MediaKind.IMAGE, MediaKind.VIDEO,
          MediaKind.AUDIO, MediaKind.DEPTH, MediaKind.THERMAL, MediaKind.IMU);
      assertThat(m.modalities()).containsExactlyInAnyOrder(Modality.values());
      assertThat(m.license().file()).isPresent();
      assertThat(Files.isRegularFile(b.file(m.graph(MediaKind.IMU).orElseThrow().file()))).isTrue();
    }
  }

  @Test
  void should_open_a_zip_and_delete_its_extracted_copy_on_close() throws IOException {
    Path z = tmp.resolve("standin.zip");
    zip(OnnxFixtures.standinDir(), z);
    Bundle b = Bundle.open(z);
    Path root = b.root();
    assertThat(Files.isRegularFile(root.resolve("imu.onnx"))).isTrue();
    b.close();
    b.close(); // idempotent
    assertThat(Files.exists(root)).isFalse();
    assertThatThrownBy(b::root).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void should_open_from_a_classpath_prefix() {
    try (Bundle b = Bundle.fromClasspath("bundles/standin")) {
      assertThat(b.source()).isEqualTo("classpath:bundles/standin/");
      assertThat(b.manifest().space()).isEqualTo("bindspace-test-standin");
    }
    assertThatThrownBy(() -> Bundle.fromClasspath("bundles/nothing-here"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("expected resource bundles/nothing-here/bundle.json on the classpath, found none");
  }

  @Test
  void should_take_a_file_from_another_classpath_resource_only_in_a_classpath_bundle() throws Exception {
    Path root = tmp.resolve("cp");
    Path pfx = root.resolve("other");
    Files.createDirectories(pfx);
    try (Stream<Path> files = Files.list(OnnxFixtures.standinDir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, pfx.resolve(p.getFileName().toString()));
      }
    }
    // the license now comes from the standin bundle's resource, not from this prefix
    Files.delete(pfx.resolve("LICENSE"));
    ObjectNode json = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(pfx.resolve("bundle.json").toFile());
    ((ObjectNode) json.with("license").get("file")).put("resource", "/bundles/standin/LICENSE");
    Files.writeString(pfx.resolve("bundle.json"), json.toString());
    try (java.net.URLClassLoader cl = new java.net.URLClassLoader(new java.net.URL[] {root.toUri().toURL()},
        getClass().getClassLoader()); Bundle b = Bundle.fromClasspath("other/", cl)) {
      FileRef lic = b.manifest().license().file().orElseThrow();
      assertThat(lic.isClasspathResource()).isTrue();
      assertThat(Files.readString(b.file(lic))).isNotEmpty();
    }
    assertThatThrownBy(() -> Bundle.open(pfx))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("names the classpath resource /bundles/standin/LICENSE")
        .hasMessageContaining("only in a bundle opened from the classpath");
    ((ObjectNode) json.with("license").get("file")).put("resource", "relative/LICENSE");
    Files.writeString(pfx.resolve("bundle.json"), json.toString());
    assertThatThrownBy(() -> Bundle.open(pfx))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("must be an absolute classpath resource name");
  }

  @Test
  void should_refuse_a_flipped_byte_with_both_hashes() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    Path graph = dir.resolve("imu.onnx");
    String expected = OnnxFixtures.sha256(graph);
    byte[] bytes = Files.readAllBytes(graph);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(graph, bytes);
    String found = OnnxFixtures.sha256(graph);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("SHA-256 mismatch for 'imu.onnx'")
        .hasMessageContaining("expected " + expected)
        .hasMessageContaining("found " + found);
  }

  @Test
  void should_refuse_a_truncated_graph_in_a_zip() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    Path graph = dir.resolve("audio.onnx");
    byte[] bytes = Files.readAllBytes(graph);
    Files.write(graph, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    Path z = tmp.resolve("truncated.zip");
    zip(dir, z);
    assertThatThrownBy(() -> Bundle.open(z))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("SHA-256 mismatch for 'audio.onnx'")
        .hasMessageContaining("over " + (bytes.length - 100) + " bytes");
  }

  @Test
  void should_refuse_a_zip_entry_escaping_the_root() throws IOException {
    Path z = tmp.resolve("slip.zip");
    zip(OnnxFixtures.standinDir(), z, "../../evil.sh");
    assertThatThrownBy(() -> Bundle.open(z))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("zip entry '../../evil.sh' escapes the bundle root");
    Path z2 = tmp.resolve("abs.zip");
    zip(OnnxFixtures.standinDir(), z2, "/etc/evil");
    assertThatThrownBy(() -> Bundle.open(z2)).hasMessageContaining("zip entry '/etc/evil' escapes the bundle root");
    assertThat(Files.exists(tmp.getParent().resolve("evil.sh"))).isFalse();
  }

  @Test
  void should_refuse_a_manifest_path_escaping_the_root() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ((ObjectNode) m.get("graphs").get("imu").get("file")).put("path", "../imu.onnx");
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("at $.graphs.imu.file")
        .hasMessageContaining("'../imu.onnx' escapes the bundle root");
  }

  @Test
  void should_refuse_a_symlink_leading_out_of_the_bundle() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    Path outside = tmp.resolve("outside.onnx");
    Files.move(dir.resolve("imu.onnx"), outside);
    Files.createSymbolicLink(dir.resolve("imu.onnx"), outside);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("file 'imu.onnx' escapes the bundle root");
  }

  @Test
  void should_refuse_a_missing_file_and_a_missing_manifest() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    Files.delete(dir.resolve("LICENSE"));
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("expected file 'LICENSE' named in bundle.json, found no such file");
    Files.delete(dir.resolve("bundle.json"));
    assertThatThrownBy(() -> Bundle.open(dir))
        .hasMessageContaining("expected bundle.json at the bundle root, found no such file");
    assertThatThrownBy(() -> Bundle.open(tmp.resolve("nope")))
        .hasMessageContaining("expected a bundle directory or zip file at");
    Path z = tmp.resolve("nomanifest.zip");
    zip(dir, z);
    assertThatThrownBy(() -> Bundle.open(z))
        .hasMessageContaining("expected bundle.json at the root of the zip, found no such entry");
  }

  @Test
  void should_refuse_an_unknown_format_version() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    m.put("format_version", 2);
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("unknown bundle format version: expected 1, found 2");
  }

  @Test
  void should_refuse_an_output_dimension_other_than_the_bundle_dimension() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    m.put("dimension", 64);
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("has shape [-1, 32], expected [-1, 64] (the bundle dimension)");
  }

  @Test
  void should_refuse_a_files_list_with_conflicting_hashes() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ArrayNode files = m.putArray("files");
    files.addObject().put("path", "imu.onnx").put("sha256", "0".repeat(64));
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> Bundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("'imu.onnx' is listed with two different sha256 values");
  }
}
