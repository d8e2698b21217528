package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What kind of media a file holds: first by its extension, then (no or unknown extension) by its
 * first bytes.
 *
 * <pre>
 * IMAGE  jpg jpeg png bmp gif webp tif tiff   magic FF D8 FF | 89 'PNG' | 'GIF8' | 'BM' | 'RIFF'....'WEBP' | 'II*\0' | 'MM\0*'
 * AUDIO  wav mp3 ogg oga opus flac m4a aac    magic 'RIFF'....'WAVE' | 'ID3' | FF Ex/Fx | 'OggS' | 'fLaC' | ....'ftypM4A '
 * VIDEO  mp4 webm mkv mov avi mpg             magic ....'ftyp' (other brands) | 1A 45 DF A3 | 'RIFF'....'AVI ' | 00 00 01 BA/B3
 * TEXT   txt md                               (extension only)
 * </pre>
 *
 * Text files are indexed by their content (UTF-8), so a folder of notes is searchable with any
 * model that has a text tower.
 */
public final class MediaTypes {
  private static final Map<String, MediaKind> BY_EXTENSION = Map.ofEntries(
      Map.entry("jpg", MediaKind.IMAGE), Map.entry("jpeg", MediaKind.IMAGE), Map.entry("png", MediaKind.IMAGE),
      Map.entry("bmp", MediaKind.IMAGE), Map.entry("gif", MediaKind.IMAGE), Map.entry("webp", MediaKind.IMAGE),
      Map.entry("tif", MediaKind.IMAGE), Map.entry("tiff", MediaKind.IMAGE),
      Map.entry("wav", MediaKind.AUDIO), Map.entry("mp3", MediaKind.AUDIO), Map.entry("ogg", MediaKind.AUDIO),
      Map.entry("oga", MediaKind.AUDIO), Map.entry("opus", MediaKind.AUDIO), Map.entry("flac", MediaKind.AUDIO),
      Map.entry("m4a", MediaKind.AUDIO), Map.entry("aac", MediaKind.AUDIO),
      Map.entry("mp4", MediaKind.VIDEO), Map.entry("webm", MediaKind.VIDEO), Map.entry("mkv", MediaKind.VIDEO),
      Map.entry("mov", MediaKind.VIDEO), Map.entry("avi", MediaKind.VIDEO), Map.entry("mpg", MediaKind.VIDEO),
      Map.entry("txt", MediaKind.TEXT), Map.entry("md", MediaKind.TEXT));

  private MediaTypes() {
  }

  /** The lower-case extension of the file name, or "" when it has none. */
  public static String extension(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString();
    int dot = n.lastIndexOf('.');
    return dot <= 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** By extension, else by content; empty when neither says media (or the file cannot be read). */
  public static Optional<MediaKind> detect(Path file) {
    MediaKind k = BY_EXTENSION.get(extension(file));
    if (k != null) {
      return Optional.of(k);
    }
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return Optional.empty();
    }
    return sniff(head, n);
  }

  /** By the first {@code n} bytes alone. */
  public static Optional<MediaKind> sniff(byte[] h, int n) {
    if (starts(h, n, 0xFF, 0xD8, 0xFF) || starts(h, n, 0x89, 'P', 'N', 'G') || ascii(h, n, 0, "GIF8")
        || ascii(h, n, 0, "BM") && n >= 14 || starts(h, n, 'I', 'I', '*', 0) || starts(h, n, 'M', 'M', 0, '*')
        || ascii(h, n, 0, "RIFF") && ascii(h, n, 8, "WEBP")) {
      return Optional.of(MediaKind.IMAGE);
    }
    if (ascii(h, n, 0, "RIFF") && ascii(h, n, 8, "WAVE") || ascii(h, n, 0, "ID3") || ascii(h, n, 0, "OggS")
        || ascii(h, n, 0, "fLaC") || ascii(h, n, 4, "ftypM4A") || n >= 2 && (h[0] & 0xFF) == 0xFF
        && (h[1] & 0xE0) == 0xE0) {
      return Optional.of(MediaKind.AUDIO);
    }
    if (ascii(h, n, 4, "ftyp") || starts(h, n, 0x1A, 0x45, 0xDF, 0xA3)
        || ascii(h, n, 0, "RIFF") && ascii(h, n, 8, "AVI ") || starts(h, n, 0, 0, 1, 0xBA)
        || starts(h, n, 0, 0, 1, 0xB3)) {
      return Optional.of(MediaKind.VIDEO);
    }
    return Optional.empty();
  }

  /** The MIME type used in HTML reports, from the extension (falls back to the kind's generic type). */
  public static String mimeType(Path file, MediaKind kind) {
    switch (extension(file)) {
      case "jpg": case "jpeg": return "image/jpeg";
      case "png": return "image/png";
      case "gif": return "image/gif";
      case "bmp": return "image/bmp";
      case "webp": return "image/webp";
      case "tif": case "tiff": return "image/tiff";
      case "wav": return "audio/wav";
      case "mp3": return "audio/mpeg";
      case "ogg": case "oga": return "audio/ogg";
      case "opus": return "audio/ogg; codecs=opus";
      case "flac": return "audio/flac";
      case "m4a": return "audio/mp4";
      case "aac": return "audio/aac";
      case "mp4": return "video/mp4";
      case "webm": return "video/webm";
      case "mkv": return "video/x-matroska";
      case "mov": return "video/quicktime";
      case "avi": return "video/x-msvideo";
      case "mpg": return "video/mpeg";
      default:
        return kind == MediaKind.TEXT ? "text/plain" : "application/octet-stream";
    }
  }

  private static boolean starts(byte[] h, int n, int... bytes) {
    if (n < bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((h[i] & 0xFF) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] h, int n, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    if (n < offset + b.length) {
      return false;
    }
    for (int i = 0; i < b.length; i++) {
      if (h[offset + i] != b[i]) {
        return false;
      }
    }
    return true;
  }
}
