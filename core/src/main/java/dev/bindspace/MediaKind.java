package dev.bindspace;

/**
 * What an embedding was computed from. Each kind belongs to exactly one {@link Modality}; images
 * and videos both belong to {@link Modality#VISION}.
 *
 * <p>This is how a video embedding is marked: its {@link Embedding#modality()} is {@code VISION}
 * (it lives where images live and is found by a {@code VISION} target filter), and its
 * {@link Embedding#media()} is {@link #VIDEO}. The {@link #code()} is the stable byte written to
 * index files; it never changes once released.
 */
public enum MediaKind {
  TEXT(Modality.TEXT, 1),
  IMAGE(Modality.VISION, 2),
  VIDEO(Modality.VISION, 3),
  AUDIO(Modality.AUDIO, 4),
  DEPTH(Modality.DEPTH, 5),
  THERMAL(Modality.THERMAL, 6),
  IMU(Modality.IMU, 7);

  private static final MediaKind[] BY_CODE = new MediaKind[8];

  static {
    for (MediaKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final Modality modality;
  private final byte code;

  MediaKind(Modality modality, int code) {
    this.modality = modality;
    this.code = (byte) code;
  }

  /** The encoder tower this kind of media goes through. */
  public Modality modality() {
    return modality;
  }

  /** The stable on-disk code of this kind (1..7). */
  public byte code() {
    return code;
  }

  /** The default media kind of a modality: {@code IMAGE} for {@code VISION}, the namesake otherwise. */
  public static MediaKind of(Modality modality) {
    switch (modality) {
      case TEXT: return TEXT;
      case VISION: return IMAGE;
      case AUDIO: return AUDIO;
      case DEPTH: return DEPTH;
      case THERMAL: return THERMAL;
      case IMU: return IMU;
      default: throw new IllegalArgumentException("unknown modality " + modality);
    }
  }

  /**
   * The kind with the given on-disk code.
   *
   * @throws IllegalArgumentException if the code is not one of 1..7
   */
  public static MediaKind fromCode(int code) {
    if (code < 1 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown media kind code " + code + ", expected 1.." + (BY_CODE.length - 1));
    }
    return BY_CODE[code];
  }
}
