package dev.bindspace.text.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenCacheTest {
  @Test
  void should_never_hold_more_than_its_capacity() {
    TokenCache c = new TokenCache(100);
    for (int i = 0; i < 10_000; i++) {
      c.put("w" + i, new int[] {i});
      assertThat(c.size()).isLessThanOrEqualTo(100);
    }
    assertThat(c.get("w9999")).containsExactly(9999);
  }

  @Test
  void should_cache_nothing_with_capacity_zero_and_refuse_negative_capacity() {
    TokenCache c = new TokenCache(0);
    c.put("a", new int[] {1});
    assertThat(c.get("a")).isNull();
    assertThatThrownBy(() -> new TokenCache(-1)).hasMessageContaining("-1");
  }
}
