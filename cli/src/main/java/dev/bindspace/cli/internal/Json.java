package dev.bindspace.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;

/** JSON lines output. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode vector(Embedding e) {
    ArrayNode a = MAPPER.createArrayNode();
    for (float v : e.toArray()) {
      a.add(v);
    }
    return a;
  }

  static String line(ObjectNode o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
