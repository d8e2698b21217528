package dev.bindspace.vision.internal.video;

import dev.bindspace.vision.video.VideoDecodeException;
import dev.bindspace.vision.video.VideoInfo;
import dev.bindspace.vision.video.VideoTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * An {@link FfmpegReader} driven by its own worker thread, so that a stalled decode cannot hang the
 * caller: the worker opens the file, counts packets, decodes and converts the wanted frames, and
 * hands them over through a queue of two; the caller waits on that queue and, if the worker's
 * heartbeat (every packet read, every frame decoded) stops for {@code stallTimeout}, cancels the
 * decode (FFmpeg's interrupt callback returns 1, the worker is interrupted) and throws
 * {@link VideoTimeoutException}. The worker alone touches the native handles, and closes them on
 * every path before it ends, so a cancelled decode never frees memory FFmpeg still uses.
 *
 * <p>Memory: at most two converted frames wait in the queue, plus the one being converted.
 */
public final class ThreadedFfmpegSource implements FrameSource {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Object END = new Object();
  private final Path file;
  private final Duration stall;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
  private final Thread worker;
  private volatile long heartbeat = System.nanoTime();
  private volatile boolean cancelled;
  private volatile IntPredicate wanted;
  private volatile VideoInfo info;
  private volatile int seen;
  private boolean ended;
  private boolean closed;

  /**
   * Starts decoding {@code file} and waits until its frame count is known.
   *
   * @param wantedFor given the video's info, the frames to convert (decided before decoding starts)
   */
  public ThreadedFfmpegSource(Path file, int decoderThreads, Duration stallTimeout,
      java.util.function.Function<VideoInfo, IntPredicate> wantedFor) {
    this.file = file;
    this.stall = stallTimeout;
    this.worker = new Thread(() -> run(decoderThreads, wantedFor), "bindspace-video-decode-"
        + THREADS.incrementAndGet());
    worker.setDaemon(true);
    worker.start();
    Object first = take();
    if (first instanceof VideoInfo vi) {
      info = vi;
    } else {
      throw new IllegalStateException("decoder worker sent " + first + " before the video info");
    }
  }

  private void run(int threads, java.util.function.Function<VideoInfo, IntPredicate> wantedFor) {
    try (FfmpegReader reader = FfmpegReader.open(file, threads, () -> cancelled, this::beat)) {
      VideoInfo vi = reader.info();
      wanted = wantedFor.apply(vi);
      if (!put(vi)) {
        return;
      }
      DecodedFrame f;
      while (!cancelled && (f = reader.next(wanted)) != null) {
        seen = f.index() + 1;
        if (f.rgb() != null && !put(f)) {
          return;
        }
      }
      put(END);
    } catch (Throwable t) {
      put(t);
    }
  }

  private void beat() {
    heartbeat = System.nanoTime();
  }

  /** Hands {@code item} to the consumer; false if the decode was cancelled meanwhile. */
  private boolean put(Object item) {
    try {
      while (!cancelled) {
        beat(); // waiting for a busy consumer is not a stall
        if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private Object take() {
    long limit = stall.toNanos();
    try {
      while (true) {
        Object o = queue.poll(Math.min(100, Math.max(1, stall.toMillis())), TimeUnit.MILLISECONDS);
        if (o != null) {
          if (o instanceof Throwable t) {
            ended = true;
            if (t instanceof VideoDecodeException vde) {
              throw vde;
            }
            if (t instanceof Error err) {
              throw err;
            }
            throw new VideoDecodeException(file.toString(), "decoding failed: " + t, t);
          }
          return o;
        }
        if (System.nanoTime() - heartbeat > limit) {
          cancel();
          throw new VideoTimeoutException(file.toString(), stall);
        }
      }
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw new VideoDecodeException(file.toString(), "interrupted while decoding", e);
    }
  }

  private void cancel() {
    cancelled = true;
    ended = true;
    worker.interrupt();
    queue.clear();
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public DecodedFrame nextWanted(IntPredicate ignored) {
    if (closed || ended) {
      return null;
    }
    Object o = take();
    if (o == END) {
      ended = true;
      return null;
    }
    return (DecodedFrame) o;
  }

  @Override
  public int framesSeen() {
    return seen;
  }

  @Override
  public String name() {
    return file.toString();
  }

  /** Cancels the decode if it is still running; the worker frees the natives. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!ended) {
      cancel();
    }
    queue.clear();
  }

  /** The worker thread, for tests that wait for the natives to be freed. */
  public Thread worker() {
    return worker;
  }
}
