package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MiniLM sentence embeddings against an independent implementation: transformers.js 3.8.1
 * (its own tokenizer, onnxruntime-node 1.21.0, mean pooling in JS) on the same quantized ONNX file
 * and tokenizer.json, written by {@code tools/goldens/minilm/minilm_reference.mjs} to
 * {@code minilm-reference.jsonl} (50 varied sentences, each run alone). Java runs ONNX Runtime
 * 1.23.2.
 */
class MiniLmParityTest {
  @TempDir Path dir;

  @Test
  void pooled_embeddings_match_transformers_js_within_1e_4() throws Exception {
    List<JsonNode> refs = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        getClass().getResourceAsStream("/minilm-reference.jsonl")), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          refs.add(json.readTree(line));
        }
      }
    }
    assertThat(refs).hasSize(50);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(MiniLmBundles.write(dir.resolve("minilm")))) {
      TextEncoder text = (TextEncoder) model.encoder(Modality.TEXT);
      double worstRaw = 0;
      double worstJoint = 0;
      int idMismatches = 0;
      for (JsonNode ref : refs) {
        String s = ref.get("text").asText();
        int[] ids = text.tokenizer().encode(s).ids();
        int[] refIds = new int[ref.get("ids").size()];
        for (int i = 0; i < refIds.length; i++) {
          refIds[i] = ref.get("ids").get(i).asInt();
        }
        if (!java.util.Arrays.equals(ids, refIds)) {
          idMismatches++;
          System.out.println("token ids differ for " + json.writeValueAsString(s) + ": java "
              + java.util.Arrays.toString(ids) + ", transformers.js " + java.util.Arrays.toString(refIds));
          continue;
        }
        EmbeddingResult e = text.encode(s); // alone, as the reference ran it
        float[] raw = e.raw().toArray();
        float[] joint = e.joint().toArray();
        double norm = 0;
        for (int j = 0; j < raw.length; j++) {
          norm += ref.get("raw").get(j).asDouble() * ref.get("raw").get(j).asDouble();
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < raw.length; j++) {
          double want = ref.get("raw").get(j).asDouble();
          worstRaw = Math.max(worstRaw, Math.abs(raw[j] - want));
          worstJoint = Math.max(worstJoint, Math.abs(joint[j] - want / norm));
        }
      }
      System.out.printf("MiniLM parity vs transformers.js over %d sentences: max |diff| raw %.3g, joint %.3g; "
          + "token-id mismatches %d%n", refs.size(), worstRaw, worstJoint, idMismatches);
      assertThat(idMismatches).isZero();
      assertThat(worstJoint).isLessThan(1e-4);
      assertThat(worstRaw).isLessThan(1e-4);
    }
  }
}
