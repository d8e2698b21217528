package dev.bindspace.vision.internal.video;

import dev.bindspace.vision.video.VideoDecodeException;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Streams frames through the per-frame transform and cuts clips as soon as their last frame has
 * arrived. Holds only processed frames that a clip still to be cut needs (frames come in order and
 * clips start in order), so memory does not grow with the video's length.
 */
public final class ClipAssembler {
  /** Receives clip {@code index}: {@code crops × 3 × frames × size × size} floats, crop-major. */
  public interface Sink {
    void accept(int index, ClipPlan.Clip clip, float[] views);
  }

  private int peakCachedFrames;

  /** The most processed frames held at once during the last {@link #run}. */
  public int peakCachedFrames() {
    return peakCachedFrames;
  }

  /** Wanted frames of {@code plan} as a predicate-friendly bit set. */
  public static BitSet wanted(ClipPlan plan) {
    BitSet b = new BitSet();
    for (int f : plan.neededFrames()) {
      b.set(f);
    }
    return b;
  }

  /**
   * Runs the whole plan.
   *
   * @throws VideoDecodeException if the source ends before a frame a clip needs
   */
  public void run(FrameSource source, ClipPlan plan, FrameTransform transform, int framesPerClip, Sink sink) {
    BitSet wanted = wanted(plan);
    List<ClipPlan.Clip> clips = plan.clips();
    int size = transform.size();
    int crops = transform.crops();
    int plane = size * size;
    int viewSize = 3 * framesPerClip * plane;
    TreeMap<Integer, FrameTransform.Planes> cache = new TreeMap<>();
    peakCachedFrames = 0;
    int next = 0;
    while (next < clips.size()) {
      DecodedFrame f = source.nextWanted(wanted::get);
      if (f == null) {
        int[] frames = clips.get(next).frames();
        throw new VideoDecodeException(source.name(), "frame " + frames[frames.length - 1] + " is needed by clip "
            + next + " but decoding produced only " + source.framesSeen() + " frames although the container has "
            + plan.frameCount() + " video packets (corrupt or truncated stream?)");
      }
      cache.put(f.index(), transform.apply(f.rgb(), f.width(), f.height()));
      peakCachedFrames = Math.max(peakCachedFrames, cache.size());
      while (next < clips.size() && last(clips.get(next)) <= f.index()) {
        ClipPlan.Clip clip = clips.get(next);
        float[] data = new float[crops * viewSize];
        int[] frames = clip.frames();
        for (int k = 0; k < crops; k++) {
          for (int t = 0; t < framesPerClip; t++) {
            transform.crop(cache.get(frames[t]), k, data, k * viewSize + t * plane, framesPerClip * plane);
          }
        }
        sink.accept(next, clip, data);
        next++;
      }
      if (next < clips.size()) {
        cache.headMap(first(clips.get(next))).clear();
      } else {
        cache.clear();
      }
    }
  }

  private static int last(ClipPlan.Clip c) {
    int m = Integer.MIN_VALUE;
    for (int f : c.frames()) {
      m = Math.max(m, f);
    }
    return m;
  }

  private static int first(ClipPlan.Clip c) {
    int m = Integer.MAX_VALUE;
    for (int f : c.frames()) {
      m = Math.min(m, f);
    }
    return m;
  }
}
