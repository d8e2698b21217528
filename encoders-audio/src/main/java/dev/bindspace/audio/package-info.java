/**
 * Audio encoders: WAV (pure Java) and compressed formats (FFmpeg) decoded, resampled and cut into
 * Kaldi log-mel clips exactly as ImageBind's Python pipeline does, then embedded through a bundle's
 * audio graph. Entry points: {@link dev.bindspace.audio.AudioPreprocessor} (tensors, no ONNX),
 * {@link dev.bindspace.audio.AudioEncoder} (embeddings, found by the {@code onnx} facade through
 * {@link dev.bindspace.audio.AudioEncoderProvider}) and {@link dev.bindspace.audio.AudioMoments}
 * (windows of a long recording).
 */
package dev.bindspace.audio;
