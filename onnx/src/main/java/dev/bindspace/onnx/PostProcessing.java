package dev.bindspace.onnx;

/**
 * What happens to a graph's per-view output before views are aggregated: L2 normalisation, then
 * multiplication by {@code logitScale}. {@link Stage#GRAPH} means the graph already did it (ImageBind
 * exports: the postprocessor is traced into the graph, the constants are recorded for reference);
 * {@link Stage#HOST} means the Java side applies it.
 */
public record PostProcessing(Stage appliedIn, boolean l2Normalize, double logitScale) {
  /** Where post-processing runs. */
  public enum Stage {
    /** Inside the ONNX graph. */
    GRAPH,
    /** In Java, after the graph. */
    HOST
  }

  public PostProcessing {
    java.util.Objects.requireNonNull(appliedIn, "appliedIn");
    if (!(Double.isFinite(logitScale) && logitScale > 0)) {
      throw new IllegalArgumentException("logit_scale must be a positive finite number, found " + logitScale);
    }
  }
}
