package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code bindspace info} prints about a model.
 *
 * @param name model name
 * @param version model version
 * @param space joint-space id
 * @param dimension embedding dimension
 * @param bundleKinds the media kinds the bundle has graphs for
 * @param embeddableKinds the media kinds this build can embed from files or text
 * @param licenseId SPDX-style licence id
 * @param licenseName licence name
 * @param attribution attribution text to show users
 * @param details free-form lines (graphs, execution providers, missing modules)
 */
public record ModelInfo(String name, String version, String space, int dimension, Set<MediaKind> bundleKinds,
    Set<MediaKind> embeddableKinds, String licenseId, String licenseName, String attribution, List<String> details) {

  public ModelInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(space, "space");
    bundleKinds = Set.copyOf(bundleKinds);
    embeddableKinds = Set.copyOf(embeddableKinds);
    Objects.requireNonNull(licenseId, "licenseId");
    Objects.requireNonNull(licenseName, "licenseName");
    Objects.requireNonNull(attribution, "attribution");
    details = List.copyOf(details);
  }
}
