package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.MediaKind;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bindspace report}: the page is self-contained (no URL with a scheme other than data:), holds
 * thumbnails, players and placeholders, and renders in headless Chromium (skipped without it).
 */
class ReportTest {
  @TempDir
  Path tmp;
  Path media;
  Path index;

  @BeforeEach
  void makeIndex() throws IOException {
    System.setProperty("java.awt.headless", "true");
    media = Files.createDirectories(tmp.resolve("media"));
    image(media.resolve("red.png"), Color.RED, 800, 600);
    image(media.resolve("blue.png"), Color.BLUE, 300, 500);
    image(media.resolve("green.jpg"), new Color(30, 160, 60), 640, 480);
    Files.writeString(media.resolve("not-an-image.png"), "garbage that only claims to be a PNG");
    Files.write(media.resolve("tone.wav"), wav(0.5));
    Files.write(media.resolve("big.wav"), wav(4.0));   // 128 kB, over the 100 kB cap
    Files.writeString(media.resolve("walk.mp4"), "fake video bytes for the fake model");
    Files.writeString(media.resolve("dog.txt"), "A golden retriever plays fetch on the beach <b>&</b>.\n");
    index = tmp.resolve("media.bsix");
    CliRun r = CliRun.run(FakeEmbedder::all, "index", "add", "--index", index.toString(), "--moments",
        media.toString());
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void should_write_a_self_contained_page_with_thumbnails_players_and_scores() throws IOException {
    Path html = report(tmp.resolve("out/report.html"));
    String page = Files.readString(html);
    assertThat(page).doesNotContain("://").doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link");
    assertThat(page).contains("<h2>text:&#39;A golden retriever plays fetch on the beach &lt;b&gt;&amp;&lt;/b&gt;.&#39;</h2>");
    // every hit is a figure with rank, score and id; 3 queries x 8 hits (the index has 8 media files + moments)
    assertThat(count(page, "<figure class=\"hit\"")).isEqualTo(24);
    assertThat(page).contains("data-id=\"" + media.resolve("red.png").toAbsolutePath() + "\"");
    // thumbnails: JPEG data URIs at most 200 px a side
    Matcher m = Pattern.compile("src=\"data:image/jpeg;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
    int thumbs = 0;
    while (m.find()) {
      BufferedImage t = ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(m.group(1))));
      assertThat(Math.max(t.getWidth(), t.getHeight())).isLessThanOrEqualTo(200);
      thumbs++;
    }
    assertThat(thumbs).isPositive();
    assertThat(page).contains("<div class=\"ph\">PNG</div>");             // ImageIO cannot read it
    assertThat(page).contains("<audio controls preload=\"none\" src=\"data:audio/wav;base64,");
    assertThat(page).contains("125.0 kB, not inlined (cap 97.7 kB)").contains("#t=0.000,2.000");
    assertThat(page).contains("<a href=\"../media/walk.mp4\">open video</a>");
    assertThat(page).containsPattern("<span class=\"time\">00:0[024]\\.0–00:0[246]\\.0</span>");
    assertThat(page).contains("A golden retriever plays fetch on the beach &lt;b&gt;&amp;&lt;/b&gt;.");
  }

  @Test
  void should_name_the_queries_file_and_line_of_a_bad_query() throws IOException {
    Path q = tmp.resolve("bad-queries.txt");
    Files.writeString(q, "text:'ok'\n\nimage:a.jpg + 0.5 audio:b.wav\n");
    CliRun r = CliRun.run(FakeEmbedder::all, "report", "--index", index.toString(), "--queries", q.toString(),
        "--out", tmp.resolve("r.html").toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("bad-queries.txt:3: column 19: expected '*'");
    assertThat(tmp.resolve("r.html")).doesNotExist();
  }

  @Test
  void should_render_in_headless_chromium() throws Exception {
    Path chromium = Path.of(System.getProperty("bindspace.cli.chromium", "/usr/bin/chromium"));
    Assumptions.assumeTrue(Files.isExecutable(chromium), "SKIPPED: no Chromium at " + chromium
        + " (apt-get install -y chromium to run the browser check of the HTML report)");
    Path html = report(tmp.resolve("report.html"));
    Path shot = tmp.resolve("shot.png");
    String url = html.toUri().toString();

    Process p = chromium(chromium, "--screenshot=" + shot, "--window-size=1200,900", url);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium --screenshot finished").isTrue();
    assertThat(shot).exists();
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(img.getWidth()).isEqualTo(1200);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(50);
    assertThat(colours).as("the red thumbnail is visible")
        .anyMatch(c -> (c >> 16 & 0xFF) > 200 && (c >> 8 & 0xFF) < 60 && (c & 0xFF) < 60);

    Process dom = chromium(chromium, "--dump-dom", url);
    byte[] out = dom.getInputStream().readAllBytes();
    assertThat(dom.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String d = new String(out, StandardCharsets.UTF_8);
    assertThat(count(d, "class=\"hit\"")).isEqualTo(24);
    assertThat(d).contains("data-id=\"" + media.resolve("red.png").toAbsolutePath() + "\"", "<audio", "<img");
    String name = tmp.getFileName().toString();
    Files.copy(shot, Path.of(System.getProperty("java.io.tmpdir"), "bindspace-report-" + name + ".png"));
  }

  private Process chromium(Path chromium, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.err").toFile());
    return pb.start();
  }

  private Path report(Path out) throws IOException {
    Files.createDirectories(out.getParent());
    Path q = tmp.resolve("queries.txt");
    Files.writeString(q, "# queries for the test\n"
        + "text:'A golden retriever plays fetch on the beach <b>&</b>.'\n\n"
        + "image:" + media.resolve("red.png") + " + 0.5*audio:" + media.resolve("tone.wav") + "\n"
        + "video:" + media.resolve("walk.mp4") + " - 0.2*text:\"rain\"\n");
    CliRun r = CliRun.run(FakeEmbedder::all, "report", "--index", index.toString(), "--queries", q.toString(),
        "--out", out.toString(), "--max-audio-bytes", "100000", "--title", "bindspace test report");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("3 queries, 24 hits");
    return out;
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void image(Path file, Color c, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    String ext = file.getFileName().toString().endsWith(".jpg") ? "jpg" : "png";
    ImageIO.write(img, ext, file.toFile());
  }

  /** A 16 kHz mono 16-bit PCM WAV of a 440 Hz tone. */
  static byte[] wav(double seconds) {
    int n = (int) (16000 * seconds);
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * n).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * n);
    for (int i = 0; i < n; i++) {
      b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
    }
    return b.array();
  }
}
