/**
 * Speed measurements: JMH benchmarks of the kernels and model workloads, and {@link antidote.bench.Workloads},
 * the plain runner that prints one JSON line per workload for {@code bench/RESULTS.md} and
 * {@code antidote bench}. Each workload mirrors a section of the PyTorch anchor script
 * ({@code shared/anchors/torch_cpu_bench.py}) so the two can be compared in one run.
 */
package antidote.bench;
