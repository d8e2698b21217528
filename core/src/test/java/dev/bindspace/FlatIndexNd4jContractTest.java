package dev.bindspace;

/** The {@link VectorIndex} contract for {@link FlatIndex} answering every batch with ND4J/OpenBLAS. */
class FlatIndexNd4jContractTest extends VectorIndexContractTest {
  @Override
  protected VectorIndex newIndex(String space, int dimension) {
    return FlatIndex.create(space, dimension,
        FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J).threads(2).build());
  }
}
