/**
 * Vision encoders: still images, video, depth and thermal maps turned into the tensors a bundle's
 * graphs expect, exactly as ImageBind's Python pipeline makes them, and embedded through the bundle's
 * ONNX graphs.
 *
 * <p>Still images: {@link dev.bindspace.vision.ImageDecoder} (Pillow-exact decoding to
 * {@link dev.bindspace.vision.RgbImage}), {@link dev.bindspace.vision.ImagePreprocessor} (resize, crop,
 * normalise from a bundle profile), {@link dev.bindspace.vision.VisionEncoder} over
 * {@link dev.bindspace.vision.VisionInput}. Depth: {@link dev.bindspace.vision.DepthInput},
 * {@link dev.bindspace.vision.DepthCamera}, {@link dev.bindspace.vision.DepthEncoder}. Thermal:
 * {@link dev.bindspace.vision.ThermalInput}, {@link dev.bindspace.vision.ThermalEncoder}. The three
 * encoders register with {@code bindspace-onnx} through {@code META-INF/services}. Failures to decode are
 * {@link dev.bindspace.vision.ImageDecodingException}s naming the input. See {@code docs/vision-encoder.md}.
 */
package dev.bindspace.vision;
