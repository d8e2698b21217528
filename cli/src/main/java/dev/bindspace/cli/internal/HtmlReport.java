package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Renders search results as one self-contained HTML page: no script, no external URL, every image
 * and sound inlined as a {@code data:} URI.
 *
 * <ul>
 *   <li>images ImageIO can read: a JPEG thumbnail (at most {@link #THUMBNAIL_SIZE} px a side,
 *       bilinear Java2D downscale); other images: a placeholder with the file's extension;</li>
 *   <li>audio: an {@code <audio controls>} player with the file inlined when it is at most
 *       {@code maxAudioBytes}, a note otherwise; a moment's player starts at its offset
 *       (a {@code #t=start,end} media fragment);</li>
 *   <li>video: a poster placeholder and a link to the file (relative to the report's folder);</li>
 *   <li>text files: the first lines of the text.</li>
 * </ul>
 * Each hit is a {@code <figure class="hit">} with {@code data-rank}, {@code data-score} and
 * {@code data-id} attributes, so that tests and scripts can read the page back.
 */
public final class HtmlReport {
  /** Longest thumbnail side in pixels. */
  public static final int THUMBNAIL_SIZE = 200;
  /** Default cap on an inlined audio file. */
  public static final long DEFAULT_MAX_AUDIO_BYTES = 2L << 20;
  private static final int SNIPPET_CHARS = 280;

  /** The hits of one query. */
  public record QueryResult(String query, List<SearchHit> hits) {
    public QueryResult {
      Objects.requireNonNull(query, "query");
      hits = List.copyOf(hits);
    }
  }

  private final Path reportDir;
  private final long maxAudioBytes;

  public HtmlReport(Path reportDir, long maxAudioBytes) {
    this.reportDir = reportDir.toAbsolutePath().normalize();
    this.maxAudioBytes = maxAudioBytes;
  }

  /** The page for {@code results}. */
  public String render(String title, String subtitle, List<QueryResult> results) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(title)).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;background:#fafafa;color:#222}\n")
        .append("h1{font-size:22px;margin:0 0 4px}p.sub{color:#666;margin:0 0 20px;font-size:13px}\n")
        .append("section.query{margin-bottom:28px}h2{font-size:16px;font-family:monospace;background:#eef;")
        .append("padding:6px 10px;border-radius:4px}\n")
        .append("div.hits{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append("figure.hit{margin:0;width:210px;background:#fff;border:1px solid #ddd;border-radius:6px;padding:6px}\n")
        .append("figure.hit img{display:block;max-width:200px;max-height:200px;margin:0 auto}\n")
        .append("div.ph{width:200px;height:130px;display:flex;align-items:center;justify-content:center;")
        .append("background:#d8d8e0;color:#556;font-size:28px;font-weight:bold;border-radius:4px}\n")
        .append("div.ph.video{background:#223;color:#fff}audio{width:200px}\n")
        .append("pre.snippet{white-space:pre-wrap;font-size:11px;max-height:130px;overflow:hidden;margin:0;")
        .append("background:#f4f4f4;padding:4px}\n")
        .append("figcaption{font-size:12px;margin-top:4px;word-break:break-all}b.score{color:#063}\n")
        .append("span.kind{color:#888}span.time{color:#a50}p.none{color:#888}\n")
        .append("</style>\n</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">")
        .append(esc(subtitle)).append("</p>\n");
    int q = 0;
    for (QueryResult r : results) {
      q++;
      b.append("<section class=\"query\" id=\"q").append(q).append("\">\n<h2>").append(esc(r.query()))
          .append("</h2>\n<div class=\"hits\">\n");
      if (r.hits().isEmpty()) {
        b.append("<p class=\"none\">no hits</p>\n");
      }
      int rank = 0;
      for (SearchHit h : r.hits()) {
        hit(b, ++rank, h);
      }
      b.append("</div>\n</section>\n");
    }
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private void hit(StringBuilder b, int rank, SearchHit h) {
    String path = h.metadata().getOrDefault(IndexStore.PATH, h.id());
    Path file = Path.of(path);
    String times = times(h);
    b.append("<figure class=\"hit\" data-rank=\"").append(rank).append("\" data-score=\"")
        .append(String.format(Locale.ROOT, "%.4f", h.score())).append("\" data-id=\"").append(esc(h.id()))
        .append("\">\n");
    switch (h.media()) {
      case IMAGE:
        image(b, file);
        break;
      case AUDIO:
        audio(b, file, h);
        break;
      case VIDEO:
        b.append("<div class=\"ph video\">&#9654;</div><a href=\"").append(esc(link(file)))
            .append("\">open video</a>\n");
        break;
      case TEXT:
        snippet(b, file);
        break;
      default:
        placeholder(b, file);
    }
    b.append("<figcaption>").append(rank).append(". <b class=\"score\">")
        .append(String.format(Locale.ROOT, "%.3f", h.score())).append("</b> <span class=\"kind\">")
        .append(h.media().name().toLowerCase(Locale.ROOT)).append("</span> ");
    if (!times.isEmpty()) {
      b.append("<span class=\"time\">").append(esc(times)).append("</span> ");
    }
    Path name = file.getFileName();
    b.append("<span class=\"path\" title=\"").append(esc(path)).append("\">")
        .append(esc(name == null ? path : name.toString())).append("</span></figcaption>\n</figure>\n");
  }

  private void image(StringBuilder b, Path file) {
    byte[] jpeg = thumbnail(file);
    if (jpeg == null) {
      placeholder(b, file);
      return;
    }
    b.append("<img alt=\"").append(esc(String.valueOf(file.getFileName()))).append("\" src=\"data:image/jpeg;base64,")
        .append(Base64.getEncoder().encodeToString(jpeg)).append("\">\n");
  }

  private void audio(StringBuilder b, Path file, SearchHit h) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      placeholder(b, file);
      b.append("<p class=\"none\">file not readable</p>\n");
      return;
    }
    if (size > maxAudioBytes) {
      placeholder(b, file);
      b.append("<p class=\"none\">").append(bytes(size)).append(", not inlined (cap ").append(bytes(maxAudioBytes))
          .append(")</p>\n");
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      placeholder(b, file);
      return;
    }
    String fragment = "";
    if (h.metadata().containsKey(IndexStore.START)) {
      fragment = "#t=" + h.metadata().get(IndexStore.START) + "," + h.metadata().get(IndexStore.END);
    }
    b.append("<div class=\"ph\">&#9835;</div><audio controls preload=\"none\" src=\"data:")
        .append(MediaTypes.mimeType(file, MediaKind.AUDIO)).append(";base64,")
        .append(Base64.getEncoder().encodeToString(bytes)).append(esc(fragment)).append("\"></audio>\n");
  }

  private static void snippet(StringBuilder b, Path file) {
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      text = new String(in.readNBytes(SNIPPET_CHARS * 4), StandardCharsets.UTF_8);
    } catch (IOException e) {
      text = "(not readable)";
    }
    if (text.length() > SNIPPET_CHARS) {
      text = text.substring(0, SNIPPET_CHARS) + "…";
    }
    b.append("<pre class=\"snippet\">").append(esc(text)).append("</pre>\n");
  }

  private static void placeholder(StringBuilder b, Path file) {
    String ext = MediaTypes.extension(file).toUpperCase(Locale.ROOT);
    b.append("<div class=\"ph\">").append(esc(ext.isEmpty() ? "?" : ext)).append("</div>\n");
  }

  /** A relative link from the report's folder to {@code file} (no scheme, so never an external URL). */
  private String link(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    String rel;
    try {
      rel = reportDir.relativize(abs).toString();
    } catch (IllegalArgumentException e) {
      rel = abs.toString();
    }
    StringBuilder out = new StringBuilder();
    for (String seg : rel.replace('\\', '/').split("/", -1)) {
      if (out.length() > 0 || rel.startsWith("/")) {
        out.append('/');
      }
      out.append(java.net.URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }

  /** A JPEG thumbnail, or null when ImageIO cannot read the file. */
  static byte[] thumbnail(Path file) {
    BufferedImage src;
    try {
      src = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (src == null || src.getWidth() < 1 || src.getHeight() < 1) {
      return null;
    }
    double scale = Math.min(1.0, (double) THUMBNAIL_SIZE / Math.max(src.getWidth(), src.getHeight()));
    int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
    BufferedImage img = src;
    // Halve first while more than twice too large: one bilinear step from far away aliases.
    while (img.getWidth() / 2 >= w && img.getHeight() / 2 >= h) {
      img = draw(img, img.getWidth() / 2, img.getHeight() / 2);
    }
    img = draw(img, w, h);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "jpg", out)) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    return out.toByteArray();
  }

  private static BufferedImage draw(BufferedImage src, int w, int h) {
    BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = dst.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return dst;
  }

  /** A size in kB or MB, one decimal (1 kB = 1024 bytes). */
  static String bytes(long n) {
    return n >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", n / 1048576.0)
        : String.format(Locale.ROOT, "%.1f kB", n / 1024.0);
  }

  /** "01:02.5–01:04.5" for a moment hit, "" otherwise. */
  public static String times(SearchHit h) {
    String s = h.metadata().get(IndexStore.START);
    String e = h.metadata().get(IndexStore.END);
    if (s == null || e == null) {
      return "";
    }
    try {
      return clock(Double.parseDouble(s)) + "–" + clock(Double.parseDouble(e));
    } catch (NumberFormatException x) {
      return s + "–" + e;
    }
  }

  /** Seconds as {@code mm:ss.s}, or {@code h:mm:ss.s} from an hour on. */
  public static String clock(double seconds) {
    long tenths = Math.round(seconds * 10);
    long h = tenths / 36000;
    long m = tenths / 600 % 60;
    double s = (tenths % 600) / 10.0;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%04.1f", h, m, s) : String.format(Locale.ROOT, "%02d:%04.1f", m, s);
  }

  /** HTML text/attribute escaping. */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }
}
