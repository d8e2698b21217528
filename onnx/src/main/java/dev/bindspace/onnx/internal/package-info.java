/** Internals of bindspace-onnx (manifest parsing, the shared ORT environment); not API, may change at any time. */
package dev.bindspace.onnx.internal;
