/**
 * JMH benchmarks of bindspace's exact search ({@link dev.bindspace.benchmarks.ExactSearchBenchmark}) and the
 * memory-bandwidth reference it is judged against ({@link dev.bindspace.benchmarks.MemoryBandwidthBenchmark}),
 * over vectors generated once by {@link dev.bindspace.benchmarks.GenerateData} and shared with the Python peers
 * (FAISS, numpy) in {@code benchmarks/python/peers.py}. Run everything with {@code benchmarks/run.sh}.
 * {@link dev.bindspace.benchmarks.TokenizerBenchmark} measures the text tokenizers (tokens/s); it runs on
 * its own (docs/tokenizers.md).
 */
package dev.bindspace.benchmarks;
