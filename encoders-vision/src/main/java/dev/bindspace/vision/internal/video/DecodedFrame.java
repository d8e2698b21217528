package dev.bindspace.vision.internal.video;

/**
 * A decoded frame: its index in presentation order and, if it was converted, its packed rgb24
 * bytes ({@code height} rows of {@code width × 3}); {@code rgb} is null for frames no clip needs.
 */
public record DecodedFrame(int index, int width, int height, byte[] rgb) {}
