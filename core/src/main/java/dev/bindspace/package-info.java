/**
 * bindspace core API: {@link dev.bindspace.Embedding}s of one joint space, their arithmetic,
 * {@link dev.bindspace.Encoder}s and {@link dev.bindspace.EmbeddingModel}s that produce them,
 * {@link dev.bindspace.ZeroShotClassifier} and the exact, crash-safe {@link dev.bindspace.FlatIndex}.
 */
package dev.bindspace;
