package dev.bindspace.vision.video;

import java.time.Duration;

/**
 * The decoder made no progress for {@link VideoOptions#stallTimeout()} (a file on a stalled network
 * mount, a named pipe nobody writes to). The decode was cancelled; if FFmpeg is blocked inside a
 * system call its worker thread ends, and closes its native handles, when that call returns.
 */
public class VideoTimeoutException extends VideoDecodeException {
  private static final long serialVersionUID = 1L;

  public VideoTimeoutException(String source, Duration stall) {
    super(source, "no decoding progress for " + stall.toMillis() + " ms (VideoOptions.stallTimeout); decode cancelled");
  }
}
