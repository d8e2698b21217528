package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.HtmlReport;
import dev.bindspace.cli.internal.IndexStore;
import dev.bindspace.cli.internal.IndexType;
import dev.bindspace.cli.internal.InputException;
import dev.bindspace.cli.internal.MediaTypes;
import dev.bindspace.cli.internal.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Media detection, progress output, time formats and index locking. */
class InternalsTest {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "FFD8FFE000104A46, IMAGE", "89504E470D0A1A0A, IMAGE", "4749463839610100, IMAGE", "424D3E0000000000000000000000, IMAGE",
      "49492A0008000000, IMAGE", "524946460000000057454250, IMAGE",
      "524946460000000057415645, AUDIO", "4944330300000000, AUDIO", "4F67675300020000, AUDIO", "664C614300000022, AUDIO",
      "FFFB900000000000, AUDIO", "0000002066747970 4D344120, AUDIO",
      "0000001866747970 69736F6D, VIDEO", "1A45DFA300000000, VIDEO", "524946460000000041564920, VIDEO",
      "000001BA44000400, VIDEO",
      "48656C6C6F20776F, ",
  })
  void should_sniff_media_by_magic_bytes(String hex, MediaKind expected) throws IOException {
    byte[] b = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    Path f = tmp.resolve("noext");
    Files.write(f, b);
    assertThat(MediaTypes.detect(f)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void should_prefer_the_extension_case_insensitively() throws IOException {
    Path f = tmp.resolve("Holiday.JPEG");
    Files.writeString(f, "anything");
    assertThat(MediaTypes.detect(f)).contains(MediaKind.IMAGE);
    assertThat(MediaTypes.detect(tmp.resolve("a.opus"))).contains(MediaKind.AUDIO);
    assertThat(MediaTypes.detect(tmp.resolve("a.mkv"))).contains(MediaKind.VIDEO);
    assertThat(MediaTypes.detect(tmp.resolve("missing.xyz"))).isEmpty();
  }

  @Test
  void should_draw_a_bar_with_rate_and_eta() {
    StringWriter w = new StringWriter();
    Progress p = new Progress(new PrintWriter(w), Progress.Mode.BAR, "indexing", 4);
    for (int i = 0; i < 4; i++) {
      p.step("photos/cat-" + i + ".jpg");
    }
    p.finish();
    assertThat(w.toString()).startsWith("\r[").contains("] 4/4  100%", "items/s  ETA 00:00  photos/cat-3.jpg")
        .endsWith("\r");
    StringWriter lines = new StringWriter();
    Progress l = new Progress(new PrintWriter(lines), Progress.Mode.LINES, "indexing", 2);
    l.step("a");
    l.step("b");
    l.finish();
    assertThat(lines.toString()).matches("indexing 2/2 \\(100%\\), \\d+\\.\\d items/s, ETA 00:00\\R");
  }

  @Test
  void should_format_clocks() {
    assertThat(HtmlReport.clock(62.5)).isEqualTo("01:02.5");
    assertThat(HtmlReport.clock(3725.04)).isEqualTo("1:02:05.0");
    assertThat(Progress.clock(61)).isEqualTo("01:01");
    assertThat(Progress.clock(3601)).isEqualTo("1:00:01");
  }

  @Test
  void should_refuse_a_second_writer_but_let_readers_in() {
    Path index = tmp.resolve("i.bsix");
    try (IndexStore w = IndexStore.create(index, IndexType.FLAT, "s", 4)) {
      assertThatThrownBy(() -> IndexStore.open(index)).isInstanceOf(InputException.class)
          .hasMessageContaining("in use by another bindspace process").hasMessageContaining("i.bsix");
      try (IndexStore r = IndexStore.openForReading(index)) {
        assertThat(r.index().size()).isZero();
      }
    }
    try (IndexStore again = IndexStore.open(index)) {
      assertThat(again.type()).isEqualTo(IndexType.FLAT);
    }
  }

  @Test
  void should_escape_html() {
    assertThat(HtmlReport.esc("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
