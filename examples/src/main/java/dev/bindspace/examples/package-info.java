/**
 * Runnable examples of the bindspace API. {@link dev.bindspace.examples.CoreQuickStart} tours the
 * core API on vectors from {@link dev.bindspace.examples.SyntheticJointSpace}: generated, not a
 * trained model, until bindspace ships its encoders.
 */
package dev.bindspace.examples;
