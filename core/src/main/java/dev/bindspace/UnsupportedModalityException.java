package dev.bindspace;

import java.util.Set;

/** A model was asked to embed a modality it has no encoder for; the message lists the ones it has. */
public final class UnsupportedModalityException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  private final Modality requested;
  private final transient Set<Modality> supported;

  public UnsupportedModalityException(String model, Modality requested, Set<Modality> supported) {
    super("model " + model + " has no " + requested + " encoder; supported modalities: " + supported);
    this.requested = requested;
    this.supported = Set.copyOf(supported);
  }

  public Modality requested() {
    return requested;
  }

  public Set<Modality> supported() {
    return supported;
  }
}
