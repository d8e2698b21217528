package dev.bindspace.vision.video;

/**
 * What the sampler knows about a video before decoding it: the frame count (for a file, the
 * number of packets of its video stream, counted by a demux-only pass, as decord does), the
 * average frame rate ({@code avg_frame_rate} of the stream; {@code r_frame_rate} when the container
 * has none), the coded size, the codec, and {@code duration = frameCount / fps}.
 */
public record VideoInfo(long frameCount, double fps, int width, int height, String codec) {
  public VideoInfo {
    if (frameCount < 1) {
      throw new IllegalArgumentException("frameCount must be at least 1, found " + frameCount);
    }
    if (!(fps > 0 && Double.isFinite(fps))) {
      throw new IllegalArgumentException("fps must be positive and finite, found " + fps);
    }
  }

  /** {@code frameCount / fps}, in seconds, as pytorchvideo computes it. */
  public double durationSeconds() {
    return (double) frameCount / fps;
  }
}
