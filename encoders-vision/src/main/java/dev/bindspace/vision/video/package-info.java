/**
 * Video: files decoded with FFmpeg (through JavaCPP's FFmpeg presets, the natives JavaCV ships) or
 * frames the caller supplies, sampled into clips exactly as ImageBind's pipeline samples them,
 * preprocessed as the bundle's {@code video} profile says and embedded through the bundle's video
 * graph ({@link dev.bindspace.vision.video.VideoEncoder}); long videos as a sequence of timed
 * windows ({@link dev.bindspace.vision.video.VideoMoments}).
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"));
 *      VideoEncoder video = VideoEncoder.of(model, VideoOptions.defaults())) {
 *   Embedding e = video.embed(VideoSource.of(Path.of("dog.mp4")));
 * }
 * }</pre>
 */
package dev.bindspace.vision.video;
