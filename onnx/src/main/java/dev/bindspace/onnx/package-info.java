/**
 * Model bundles on ONNX Runtime: the {@code bundle.json} manifest ({@link dev.bindspace.onnx.BundleManifest},
 * format in {@code docs/bundle-format.md}), the verifying {@link dev.bindspace.onnx.Bundle} loader
 * (directory, zip, classpath), the runtime wrapper {@link dev.bindspace.onnx.OnnxGraph} with
 * {@link dev.bindspace.onnx.OnnxRuntimeOptions}, the generic {@link dev.bindspace.onnx.TensorEncoder}
 * and the {@link dev.bindspace.onnx.OnnxEmbeddingModel} facade with its
 * {@link dev.bindspace.onnx.EncoderProvider} SPI.
 */
package dev.bindspace.onnx;
