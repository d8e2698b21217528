package dev.bindspace.vision.internal.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which frames make which clip, decided from the frame count and rate alone (before decoding):
 *
 * <ul>
 *   <li>{@link #imagebind}: pytorchvideo's {@code ConstantClipsPerVideoSampler} as ImageBind drives
 *       it: {@code maxStart = Fraction(max(duration − D, 0))}, {@code step = maxStart / max(n − 1, 1)},
 *       clip i = {@code [i·step, i·step + D]} in exact fractions, {@code duration = frames / fps}.
 *   <li>{@link #windows}: fixed windows every {@code stride} seconds for {@code VideoMoments}.
 * </ul>
 *
 * A clip's window is frames {@code ceil(fps·start) … min(ceil(fps·end), frames) − 1} (decord's
 * {@code get_clip}: the product is taken in doubles, the bound converted once), of which
 * {@code framesPerClip} are picked by {@code UniformTemporalSubsample}: indices
 * {@code torch.linspace(0, T − 1, n)} in float32, truncated.
 */
public final class ClipPlan {
  /** One clip: its bounds in seconds (as doubles) and the absolute frame index of each of its frames. */
  public record Clip(double startSeconds, double endSeconds, int[] frames) {
    @Override
    public String toString() {
      return "Clip[" + startSeconds + ", " + endSeconds + ", frames " + Arrays.toString(frames) + "]";
    }
  }

  private final List<Clip> clips;
  private final long frameCount;

  private ClipPlan(List<Clip> clips, long frameCount) {
    this.clips = List.copyOf(clips);
    this.frameCount = frameCount;
  }

  public List<Clip> clips() {
    return clips;
  }

  public long frameCount() {
    return frameCount;
  }

  /** The distinct frame indices any clip needs, ascending. */
  public int[] neededFrames() {
    TreeSet<Integer> all = new TreeSet<>();
    for (Clip c : clips) {
      for (int f : c.frames) {
        all.add(f);
      }
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  /** ImageBind's sampling (see the class comment). */
  public static ClipPlan imagebind(long frameCount, double fps, double clipDurationSeconds, int clipsPerVideo,
      int framesPerClip) {
    check(frameCount, fps, framesPerClip);
    double duration = (double) frameCount / fps;
    Rational d = Rational.of(clipDurationSeconds);
    Rational maxStart = Rational.of(Math.max(duration - clipDurationSeconds, 0));
    Rational step = maxStart.dividedBy(Math.max(clipsPerVideo - 1, 1));
    List<Clip> out = new ArrayList<>();
    for (int i = 0; i < clipsPerVideo; i++) {
      Rational start = step.times(i);
      Rational end = start.plus(d);
      out.add(clip(start.toDouble(), end.toDouble(), frameCount, fps, framesPerClip));
      if (step.times(i + 1L).compareTo(maxStart) > 0) {
        break; // pytorchvideo's early stop; unreachable with exact fractions, kept for fidelity
      }
    }
    return new ClipPlan(out, frameCount);
  }

  /**
   * Windows of {@code window} seconds starting every {@code stride} seconds while they fit in the
   * video, plus one last window ending at the end if the grid leaves a tail; a video shorter than
   * one window gives one window over all of it. Reported bounds are clamped to the duration.
   */
  public static ClipPlan windows(long frameCount, double fps, double windowSeconds, double strideSeconds,
      int framesPerClip) {
    check(frameCount, fps, framesPerClip);
    Rational duration = Rational.of((double) frameCount / fps);
    double durationD = (double) frameCount / fps;
    Rational w = Rational.of(windowSeconds);
    Rational s = Rational.of(strideSeconds);
    List<Clip> out = new ArrayList<>();
    if (w.compareTo(duration) >= 0) {
      out.add(clip(0, Math.min(windowSeconds, durationD), frameCount, fps, framesPerClip));
      return new ClipPlan(out, frameCount);
    }
    Rational start = Rational.ZERO;
    Rational lastEnd = Rational.ZERO;
    for (long k = 0; start.plus(w).compareTo(duration) <= 0; k++, start = s.times(k)) {
      lastEnd = start.plus(w);
      out.add(clip(start.toDouble(), lastEnd.toDouble(), frameCount, fps, framesPerClip));
    }
    if (lastEnd.compareTo(duration) < 0) {
      Rational tail = duration.minus(w);
      out.add(clip(tail.toDouble(), durationD, frameCount, fps, framesPerClip));
    }
    return new ClipPlan(out, frameCount);
  }

  private static void check(long frameCount, double fps, int framesPerClip) {
    if (frameCount < 1 || frameCount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("frameCount must be in [1, 2^31), found " + frameCount);
    }
    if (!(fps > 0 && Double.isFinite(fps))) {
      throw new IllegalArgumentException("fps must be positive and finite, found " + fps);
    }
    if (framesPerClip < 1) {
      throw new IllegalArgumentException("framesPerClip must be at least 1, found " + framesPerClip);
    }
  }

  private static Clip clip(double start, double end, long frameCount, double fps, int n) {
    long s = (long) Math.ceil(fps * start);
    long e = Math.min((long) Math.ceil(fps * end), frameCount);
    if (s >= frameCount) {
      s = frameCount - 1; // a window starting at the very end still sees the last frame
    }
    if (e <= s) {
      e = s + 1;
    }
    int t = (int) (e - s);
    int[] picked = new int[n];
    int[] rel = uniformSubsample(t, n);
    for (int i = 0; i < n; i++) {
      picked[i] = (int) s + rel[i];
    }
    return new Clip(start, end, picked);
  }

  /**
   * {@code UniformTemporalSubsample}: {@code torch.linspace(0, t−1, n)} computed as torch's CPU
   * kernel does in float32 (first half {@code start + step·i}, second half {@code end − step·(n−1−i)}),
   * clamped to {@code [0, t−1]} and truncated to integers.
   */
  static int[] uniformSubsample(int t, int n) {
    int[] out = new int[n];
    if (n == 1) {
      return out;
    }
    float end = t - 1;
    float step = (end - 0f) / (n - 1);
    int halfway = n / 2;
    for (int i = 0; i < n; i++) {
      float v = i < halfway ? 0f + step * i : end - step * (n - i - 1);
      v = Math.min(Math.max(v, 0f), end);
      out[i] = (int) v;
    }
    return out;
  }
}
