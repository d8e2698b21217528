package dev.bindspace.vision.internal.video;

import dev.bindspace.vision.RgbImage;
import dev.bindspace.vision.video.VideoInfo;
import java.util.List;
import java.util.function.IntPredicate;

/** Caller-supplied frames: frame count = list size, duration = size / fps. */
public final class ListFrameSource implements FrameSource {
  private final List<RgbImage> frames;
  private final VideoInfo info;
  private int next;

  public ListFrameSource(List<RgbImage> frames, double fps) {
    this.frames = frames;
    RgbImage first = frames.get(0);
    this.info = new VideoInfo(frames.size(), fps, first.width(), first.height(), "caller frames");
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public DecodedFrame nextWanted(IntPredicate wanted) {
    while (next < frames.size()) {
      int i = next++;
      if (wanted.test(i)) {
        RgbImage f = frames.get(i);
        return new DecodedFrame(i, f.width(), f.height(), f.toBytes());
      }
    }
    return null;
  }

  @Override
  public int framesSeen() {
    return next;
  }

  @Override
  public String name() {
    return frames.size() + " caller frames at " + info.fps() + " fps";
  }

  @Override
  public void close() {}
}
