package dev.bindspace.text.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void should_parse_every_kind_of_value() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\\"\\u00e9\\ud800\"], \"b\": {}} ");
    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    List<Object> a = (List<Object>) ((Map<?, ?>) v).get("a");
    assertThat(a).containsExactly(1L, -2500.0, true, false, null, "x\"\u00e9\ud800");
    assertThat(((Map<?, ?>) v).get("b")).isEqualTo(Map.of());
    assertThat(Json.parse("12345678901234567890")).isEqualTo(1.2345678901234567e19);
  }

  @Test
  void should_reject_malformed_input_with_the_offset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }")).hasMessageContaining("offset 6");
    assertThatThrownBy(() -> Json.parse("[1, 2")).hasMessageContaining("end of input");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("[".repeat(600) + "]".repeat(600))).hasMessageContaining("nesting");
  }
}
