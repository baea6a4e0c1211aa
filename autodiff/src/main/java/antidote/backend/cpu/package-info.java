/**
 * The CPU backend: float32 and float64 kernels on Java arrays, run on a fixed worker pool with work
 * partitioned by output (or, for the filter gradient, into a fixed number of chunks of images), so that results
 * depend neither on thread scheduling nor on the thread count.
 * {@link antidote.backend.cpu.CpuBackend} adapts the backend interface to one class per kernel family.
 *
 * <p>Float32 is the fast path: {@link antidote.backend.cpu.Gemm} (blocked, packed GEMM around an 8x32 register
 * tile) serves matmul and the convolutions via {@link antidote.backend.cpu.Im2col}; elementwise kernels
 * coalesce broadcast dimensions ({@link antidote.backend.cpu.Layout.Nest}) into long rows. The SIMD inner
 * loops live in {@link antidote.backend.cpu.VectorKernels} ({@code jdk.incubator.vector}, used when the JVM
 * has {@code --add-modules jdk.incubator.vector}) with a plain-Java twin, {@link antidote.backend.cpu.PlainKernels},
 * chosen when the module is absent or {@code -Dantidote.cpu.plain=true}. Float64 (for gradient checks) uses
 * plain loops.
 */
package antidote.backend.cpu;
