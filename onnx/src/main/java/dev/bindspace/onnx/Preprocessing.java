package dev.bindspace.onnx;

import java.util.List;
import java.util.Objects;

/**
 * The preprocessing profile of a graph: every constant a media encoder needs to turn a file or a
 * string into the graph's input tensor. The {@code kind} in the manifest picks the variant.
 * Encoder modules ({@code bindspace-encoders-*}) read these; the generic
 * {@link TensorEncoder} ignores them because it takes already-preprocessed tensors.
 */
public sealed interface Preprocessing
    permits Preprocessing.Image, Preprocessing.Video, Preprocessing.Audio, Preprocessing.Text,
        Preprocessing.Tensor {

  /** The manifest spelling of the kind. */
  String kind();

  /** How an image's size is brought to {@code size}. */
  enum ResizeMode {
    /** Shorter side to {@code size}, PIL bicubic (a = -0.5, antialiased), long side truncated (ImageBind images). */
    SHORTER_SIDE_BICUBIC_PIL,
    /** Shorter side to {@code size}, bilinear without antialiasing, align_corners=false (ImageBind video). */
    SHORTER_SIDE_BILINEAR,
    /** Both sides straight to {@code size}, bilinear. */
    EXACT_BILINEAR
  }

  /** How the square is cut after resizing. */
  enum CropMode {
    /** One centre crop, offsets rounded half-to-even (ImageBind images). */
    CENTER,
    /** Three crops along the longer side (left/centre/right or top/centre/bottom; ImageBind video). */
    THREE_CROPS
  }

  /** Tokenizers a text graph may declare. */
  enum TokenizerKind {
    /** OpenAI-CLIP byte-level BPE over {@code bpe_simple_vocab_16e6.txt.gz}. */
    CLIP_BPE,
    /**
     * BERT WordPiece read from a HuggingFace {@code tokenizer.json} (the {@code vocabulary} file ref);
     * the graph takes {@code input_ids}, {@code attention_mask} (and optionally {@code token_type_ids}),
     * int64 {@code [-1, -1]}, and returns per-token states {@code [-1, -1, dimension]} that the host
     * mean-pools over the attention mask (all-MiniLM-L6-v2). {@code context_length} is the maximum
     * sequence length, special tokens included.
     */
    WORDPIECE
  }

  /**
   * How a {@code clip_bpe} text graph's rows are padded: the optional {@code padding} field of a
   * {@code text} profile ({@code "max_length"} or {@code "longest"}).
   */
  enum TextPadding {
    /**
     * Every row is padded to {@code context_length}; the graph's input is {@code int64 [-1,
     * context_length]}. The default of a {@code clip_bpe} profile without {@code padding}.
     */
    MAX_LENGTH,
    /**
     * A batch is padded to its longest row (at most {@code context_length} tokens); the graph's input
     * is {@code int64 [-1, -1]}. Only for graphs whose pooled output does not depend on the padding
     * after the end-of-text token: ImageBind's text tower attends causally and pools at the
     * end-of-text token, so the shorter run gives the same embedding with less work. The export tool
     * writes it only after checking that on the exported graph. A {@code wordpiece} profile always
     * pads to the longest row (its graph takes the attention mask).
     */
    LONGEST
  }

  /** Still images (also depth/thermal maps when rendered as images): resize, crop, normalise. */
  record Image(int channels, int size, ResizeMode resize, CropMode crop, List<Double> mean, List<Double> std)
      implements Preprocessing {
    public Image {
      Objects.requireNonNull(resize, "resize");
      Objects.requireNonNull(crop, "crop");
      mean = List.copyOf(mean);
      std = List.copyOf(std);
      checkPositive("channels", channels);
      checkPositive("size", size);
      checkPerChannel(channels, mean, std);
    }

    @Override
    public String kind() {
      return "image";
    }
  }

  /** Video: clips sampled over time, frames per clip, spatial crops per clip, then per-frame normalisation. */
  record Video(double clipDurationSeconds, int clipsPerVideo, int framesPerClip, int size, ResizeMode resize,
      CropMode crop, int cropsPerClip, List<Double> mean, List<Double> std) implements Preprocessing {
    public Video {
      Objects.requireNonNull(resize, "resize");
      Objects.requireNonNull(crop, "crop");
      mean = List.copyOf(mean);
      std = List.copyOf(std);
      checkPositiveFinite("clip_duration_seconds", clipDurationSeconds);
      checkPositive("clips_per_video", clipsPerVideo);
      checkPositive("frames_per_clip", framesPerClip);
      checkPositive("size", size);
      checkPositive("crops_per_clip", cropsPerClip);
      checkPerChannel(3, mean, std);
    }

    @Override
    public String kind() {
      return "video";
    }
  }

  /** Audio: resample, cut clips, Kaldi fbank, pad/truncate to {@code targetFrames}, scalar normalisation. */
  record Audio(int sampleRate, int melBins, int targetFrames, double clipDurationSeconds, int clipsPerFile,
      double frameLengthMs, double frameShiftMs, double mean, double std) implements Preprocessing {
    public Audio {
      checkPositive("sample_rate", sampleRate);
      checkPositive("mel_bins", melBins);
      checkPositive("target_frames", targetFrames);
      checkPositiveFinite("clip_duration_seconds", clipDurationSeconds);
      checkPositive("clips_per_file", clipsPerFile);
      checkPositiveFinite("frame_length_ms", frameLengthMs);
      checkPositiveFinite("frame_shift_ms", frameShiftMs);
      if (!Double.isFinite(mean)) {
        throw new IllegalArgumentException("mean must be finite, found " + mean);
      }
      checkPositiveFinite("std", std);
    }

    @Override
    public String kind() {
      return "audio";
    }
  }

  /**
   * Text: tokenizer kind, its vocabulary file inside the bundle, the context length, and how a batch is
   * padded ({@link TextPadding}).
   */
  record Text(TokenizerKind tokenizer, FileRef vocabulary, int contextLength, TextPadding padding)
      implements Preprocessing {
    public Text {
      Objects.requireNonNull(tokenizer, "tokenizer");
      Objects.requireNonNull(vocabulary, "vocabulary");
      Objects.requireNonNull(padding, "padding");
      checkPositive("context_length", contextLength);
      if (tokenizer == TokenizerKind.WORDPIECE && padding != TextPadding.LONGEST) {
        throw new IllegalArgumentException("padding of a wordpiece profile must be longest (its graph takes the "
            + "attention mask), found " + padding.name().toLowerCase(java.util.Locale.ROOT));
      }
    }

    /**
     * A profile without the {@code padding} field: {@link TextPadding#MAX_LENGTH} for {@code clip_bpe},
     * {@link TextPadding#LONGEST} for {@code wordpiece}.
     */
    public Text(TokenizerKind tokenizer, FileRef vocabulary, int contextLength) {
      this(tokenizer, vocabulary, contextLength, defaultPadding(tokenizer));
    }

    /** The padding a profile without the {@code padding} field has. */
    public static TextPadding defaultPadding(TokenizerKind tokenizer) {
      return Objects.requireNonNull(tokenizer, "tokenizer") == TokenizerKind.WORDPIECE
          ? TextPadding.LONGEST : TextPadding.MAX_LENGTH;
    }

    @Override
    public String kind() {
      return "text";
    }
  }

  /**
   * No media decoding: the caller supplies the tensor (IMU {@code (6, 2000)}; depth and thermal
   * maps, for which ImageBind defines no loader). {@code note} says what the values mean.
   */
  record Tensor(String note) implements Preprocessing {
    public Tensor {
      Objects.requireNonNull(note, "note");
    }

    @Override
    public String kind() {
      return "tensor";
    }
  }

  private static void checkPositive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, found " + v);
    }
  }

  private static void checkPositiveFinite(String field, double v) {
    if (!(Double.isFinite(v) && v > 0)) {
      throw new IllegalArgumentException(field + " must be a positive finite number, found " + v);
    }
  }

  private static void checkPerChannel(int channels, List<Double> mean, List<Double> std) {
    if (mean.size() != channels || std.size() != channels) {
      throw new IllegalArgumentException("expected " + channels + " mean and std values (one per channel), found "
          + mean.size() + " and " + std.size());
    }
    for (double s : std) {
      checkPositiveFinite("std", s);
    }
    for (double m : mean) {
      if (!Double.isFinite(m)) {
        throw new IllegalArgumentException("mean must be finite, found " + m);
      }
    }
  }
}
