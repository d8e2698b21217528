package dev.bindspace.vision;

import dev.bindspace.onnx.Tensor;
import java.util.Objects;
import java.util.Optional;

/**
 * One input after the host stage of a vision-family encoder ({@link dev.bindspace.StagedEncoder#prepare}):
 * either its view tensor, decoded, resized and normalised, ready for the graph, or, for inputs the
 * encoder runs whole in the model stage (videos: many clips, their own graph), the input itself.
 * Immutable; made by the encoders.
 *
 * @param <I> the encoder's input type
 */
public final class PreparedView<I> {
  private final I input;
  private final Tensor view;

  private PreparedView(I input, Tensor view) {
    this.input = input;
    this.view = view;
  }

  static <I> PreparedView<I> ofView(I input, Tensor view) {
    return new PreparedView<>(Objects.requireNonNull(input, "input"), Objects.requireNonNull(view, "view"));
  }

  static <I> PreparedView<I> whole(I input) {
    return new PreparedView<>(Objects.requireNonNull(input, "input"), null);
  }

  /** The input this came from. */
  public I input() {
    return input;
  }

  /** The view tensor, or empty for an input run whole in the model stage. */
  public Optional<Tensor> view() {
    return Optional.ofNullable(view);
  }

  @Override
  public String toString() {
    return "PreparedView[" + input + (view != null ? ", " + view : ", whole") + "]";
  }
}
