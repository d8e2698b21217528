/**
 * Text tokenizers for bindspace's text encoders, in pure Java and token-exact with the Python
 * originals: {@link dev.bindspace.text.ClipBpeTokenizer} (OpenAI CLIP's byte-level BPE behind ftfy, as
 * ImageBind runs it) and {@link dev.bindspace.text.WordPieceTokenizer} (BERT WordPiece from a
 * HuggingFace {@code tokenizer.json}, for all-MiniLM-L6-v2). Both implement
 * {@link dev.bindspace.text.Tokenizer}: {@link dev.bindspace.text.Encoding}s with ids, attention mask
 * and type ids, batches padded to their longest row or to a fixed length, and overlapping windows
 * for long texts. No network, no native code.
 */
package dev.bindspace.text;
