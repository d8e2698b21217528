package dev.bindspace.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long run on stderr: a redrawn bar on a terminal, plain lines (at most one every
 * {@link #LINE_INTERVAL_NANOS}, and at the end) otherwise, or nothing.
 *
 * <pre>
 * bar:   [##########..........]  120/240  50%  12.3 items/s  ETA 00:10  photos/cat.jpg
 * lines: indexing 120/240 (50%), 12.3 items/s, ETA 00:10
 * </pre>
 */
public final class Progress {
  /** How progress is shown. */
  public enum Mode { BAR, LINES, NONE }

  static final long LINE_INTERVAL_NANOS = 2_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 24;

  private final PrintWriter err;
  private final Mode mode;
  private final String verb;
  private final long total;
  private final long startNanos;
  private long lastDraw;
  private long done;
  private int lastWidth;

  public Progress(PrintWriter err, Mode mode, String verb, long total) {
    this.err = err;
    this.mode = mode;
    this.verb = verb;
    this.total = total;
    this.startNanos = System.nanoTime();
    this.lastDraw = startNanos;
  }

  /** One more item done; {@code current} is what is shown as being worked on. */
  public void step(String current) {
    done++;
    long now = System.nanoTime();
    if (mode == Mode.BAR && (now - lastDraw >= BAR_INTERVAL_NANOS || done == total)) {
      lastDraw = now;
      drawBar(now, current);
    } else if (mode == Mode.LINES && now - lastDraw >= LINE_INTERVAL_NANOS) {
      lastDraw = now;
      err.println(line(now));
      err.flush();
    }
  }

  /** Clears the bar, or prints the last line. */
  public void finish() {
    long now = System.nanoTime();
    if (mode == Mode.BAR) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
    } else if (mode == Mode.LINES && total > 0) {
      err.println(line(now));
      err.flush();
    }
  }

  private void drawBar(long now, String current) {
    int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
    String name = current.length() > 40 ? "…" + current.substring(current.length() - 39) : current;
    String s = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + stats(now) + "  " + name;
    err.print("\r" + s + " ".repeat(Math.max(0, lastWidth - s.length())));
    lastWidth = s.length();
    err.flush();
  }

  String line(long now) {
    double rate = rate(now);
    return String.format(Locale.ROOT, "%s %d/%d (%d%%), %.1f items/s, ETA %s", verb, done, total, percent(), rate,
        eta(rate));
  }

  private String stats(long now) {
    double rate = rate(now);
    return String.format(Locale.ROOT, "%d/%d  %3d%%  %.1f items/s  ETA %s", done, total, percent(), rate, eta(rate));
  }

  private double rate(long now) {
    return done / Math.max(1e-9, (now - startNanos) / 1e9);
  }

  private int percent() {
    return total == 0 ? 100 : (int) (100 * done / total);
  }

  private String eta(double rate) {
    if (done >= total) {
      return "00:00";
    }
    return rate > 0 ? clock((total - done) / rate) : "--:--";
  }

  /** Seconds as {@code mm:ss}, or {@code h:mm:ss} from an hour on. */
  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
