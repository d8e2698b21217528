package dev.bindspace.audio;

/**
 * What to do with audio shorter than one filterbank window (400 samples = 25 ms at 16 kHz with
 * ImageBind's profile), where ImageBind's own code fails an assertion inside Kaldi fbank.
 */
public enum ShortAudioPolicy {
  /**
   * The default: after the clip mean is removed, the clip is zero-padded at the end to one window,
   * giving exactly one filterbank frame (then padded to the target frame count as usual).
   */
  PAD_WITH_ZEROS,
  /** Throw {@link AudioDecodingException} with reason {@link AudioDecodingException.Reason#TOO_SHORT}. */
  REJECT
}
