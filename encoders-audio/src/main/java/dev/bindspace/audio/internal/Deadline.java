package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioDecodingException;
import dev.bindspace.audio.AudioDecodingException.Reason;
import java.time.Duration;

/** A wall-clock decode limit, checked between blocks. */
public final class Deadline {
  private final long end;
  private final Duration limit;

  private Deadline(Duration limit) {
    this.limit = limit;
    long nanos;
    try {
      nanos = limit.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 2;
    }
    this.end = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 2);
  }

  public static Deadline after(Duration limit) {
    return new Deadline(limit);
  }

  /** @throws AudioDecodingException with reason TIMEOUT once the limit has passed */
  public void check(String source) {
    if (System.nanoTime() - end > 0) {
      throw new AudioDecodingException(source, Reason.TIMEOUT, "decoding took longer than the timeout of " + limit);
    }
  }
}
