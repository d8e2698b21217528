package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@link VectorIndex} contract for {@link FlatIndex} with plain-Java scans on one thread. The
 * build runs it twice: with the SIMD kernel and with {@code -Dbindspace.kernels=scalar}.
 */
class FlatIndexJavaContractTest extends VectorIndexContractTest {
  @Override
  protected VectorIndex newIndex(String space, int dimension) {
    return FlatIndex.create(space, dimension,
        FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).threads(1).build());
  }

  @Test
  void should_use_the_kernel_the_build_asked_for() {
    FlatIndex index = (FlatIndex) index(4);
    System.out.println("kernel: " + index.kernel());
    if ("scalar".equals(System.getProperty("bindspace.kernels"))) {
      assertThat(index.kernel()).isEqualTo("scalar");
    } else {
      // surefire runs with --add-modules jdk.incubator.vector
      assertThat(index.kernel()).startsWith("panama-");
    }
  }
}
