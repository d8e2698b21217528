/**
 * Implementation of the vision encoders: Pillow-exact resampling and mode conversion, ImageIO and
 * FFmpeg decoding, header probes. Not API: classes here may change without notice; the public
 * classes are public so the video half of this module and the mini-model tooling can reuse them.
 */
package dev.bindspace.vision.internal;
