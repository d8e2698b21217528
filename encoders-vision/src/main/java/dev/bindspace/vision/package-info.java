/**
 * Vision encoders: still images, video, depth and thermal maps turned into the tensors a bundle's
 * graphs expect, exactly as ImageBind's Python pipeline makes them, and embedded through the bundle's
 * ONNX graphs.
 */
package dev.bindspace.vision;
