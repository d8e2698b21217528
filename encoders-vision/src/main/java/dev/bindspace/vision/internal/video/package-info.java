/**
 * Implementation of {@code dev.bindspace.vision.video}: the FFmpeg reader, the exact-fraction clip
 * sampler, the per-frame resize/normalise/crop kernels and the streaming clip assembler. Not API.
 */
package dev.bindspace.vision.internal.video;
