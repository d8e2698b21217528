package dev.bindspace.text;

import dev.bindspace.BindspaceException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registers the text encoder with {@code bindspace-onnx}: {@link dev.bindspace.onnx.OnnxEmbeddingModel}
 * finds it through {@code META-INF/services/dev.bindspace.onnx.EncoderProvider} and asks it for the
 * {@code TEXT} modality. It serves a bundle's {@code text} graph whose preprocessing is
 * {@code {"kind": "text", "tokenizer": "clip_bpe" | "wordpiece", ...}}; the tokenizer is built from
 * the bundle's verified vocabulary file. Long texts are truncated; {@link TextEncoder#windowed} gives
 * the overlapping-window variant.
 */
public final class TextEncoderProvider implements EncoderProvider {

  @Override
  public Modality modality() {
    return Modality.TEXT;
  }

  @Override
  public String module() {
    return "bindspace-encoders-text";
  }

  @Override
  public boolean supports(Map<MediaKind, GraphSpec> graphs) {
    GraphSpec g = graphs.get(MediaKind.TEXT);
    return g != null && g.preprocessing() instanceof Preprocessing.Text;
  }

  @Override
  public OnnxEncoder<String> create(Context context) {
    GraphSpec spec = context.graphs().get(MediaKind.TEXT);
    Preprocessing.Text text = (Preprocessing.Text) spec.preprocessing();
    Path vocab = context.bundle().file(text.vocabulary());
    Tokenizer tokenizer;
    try (InputStream in = Files.newInputStream(vocab)) {
      tokenizer = switch (text.tokenizer()) {
        case CLIP_BPE -> ClipBpeTokenizer.builder(in).contextLength(text.contextLength())
            .padding(text.padding() == Preprocessing.TextPadding.LONGEST ? Padding.LONGEST : Padding.MAX_LENGTH)
            .build();
        case WORDPIECE -> WordPieceTokenizer.builder(in).maxLength(text.contextLength())
            .padding(Padding.LONGEST).build();
      };
    } catch (IOException e) {
      throw new BindspaceException(context.bundle().source() + ": cannot read the text vocabulary "
          + text.vocabulary().path() + ": " + e.getMessage(), e);
    }
    return new TextEncoder(context.graph(MediaKind.TEXT), tokenizer, context.manifest().space(),
        context.manifest().dimension(), context.options().maxBatchSize());
  }
}
