/**
 * The CUDA backend: the kernels of {@code src/main/cuda/*.cu}, compiled to PTX at build time, loaded and
 * launched through the JCuda driver API, so that only the NVIDIA driver ({@code libcuda.so.1}) is required.
 * GEMM goes through cuBLAS and convolution through cuDNN when those libraries load, with the project's own
 * kernels as the fallback; the backend logs which path it took.
 *
 * <p>Both float32 and float64 run on the GPU (every kernel is instantiated for both; cuDNN serves float32
 * only, float64 convolutions use the project's kernels). Device memory comes from a caching pool per device;
 * a buffer goes back to the pool when the {@link antidote.backend.cuda.MemoryScope} that owns it closes, or,
 * as a safety net, when its storage becomes unreachable. All work of a device runs in order on one stream,
 * which is what makes it safe to reuse a pooled block as soon as it is released.
 *
 * <p>Every kernel is deterministic: reductions use fixed trees, scatter-add is a gather over host-sorted
 * indices instead of float atomics, and cuDNN is asked for deterministic algorithms only.
 */
package antidote.backend.cuda;
