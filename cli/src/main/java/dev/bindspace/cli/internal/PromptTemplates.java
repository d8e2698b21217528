package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.util.List;
import java.util.Map;

/**
 * The texts a label becomes for zero-shot classification, per kind of input being classified; the
 * label's prototype is the mean of its templates' text embeddings ({@code {}} is the label).
 *
 * <pre>
 * image    "a photo of a {}."   "a picture of a {}."
 * video    "a video of a {}."   "a clip showing a {}."
 * audio    "the sound of a {}." "a recording of a {}."
 * text     "{}"                 "a text about {}."
 * depth    "a depth map of a {}."
 * thermal  "a thermal image of a {}."
 * imu      "{}"
 * </pre>
 */
public final class PromptTemplates {
  private static final Map<MediaKind, List<String>> TEMPLATES = Map.of(
      MediaKind.IMAGE, List.of("a photo of a {}.", "a picture of a {}."),
      MediaKind.VIDEO, List.of("a video of a {}.", "a clip showing a {}."),
      MediaKind.AUDIO, List.of("the sound of a {}.", "a recording of a {}."),
      MediaKind.TEXT, List.of("{}", "a text about {}."),
      MediaKind.DEPTH, List.of("a depth map of a {}."),
      MediaKind.THERMAL, List.of("a thermal image of a {}."),
      MediaKind.IMU, List.of("{}"));

  private PromptTemplates() {
  }

  /** The templates for inputs of {@code kind}. */
  public static List<String> templates(MediaKind kind) {
    return TEMPLATES.get(kind);
  }

  /** The prompts for {@code label} when classifying inputs of {@code kind}. */
  public static List<String> prompts(MediaKind kind, String label) {
    return templates(kind).stream().map(t -> t.replace("{}", label)).toList();
  }
}
