// Reductions: sum and argmax over any set of axes, and log-softmax over the middle axis of [outer, n, inner].
//
// A reduction is described by two layouts over the input: `kept` enumerates the output positions (the
// keepdim result in row-major order) and `reduced` enumerates, for one output, the reduced elements in
// increasing input order. Input offset = kept offset + reduced offset.
#include "common.cuh"

// One block of REDUCE_BLOCK threads per output. Thread t adds elements t, t + REDUCE_BLOCK, ... in double,
// then the block adds the partial sums in a fixed tree: deterministic, and close to the reference's
// float64 sum.
template <typename T>
__device__ void sum_blocks(const T* x, T* out, int reduceSize, const Layout& kept, const Layout& reduced) {
    int base = layout_offset(kept, blockIdx.x);
    double acc = 0;
    for (int r = threadIdx.x; r < reduceSize; r += REDUCE_BLOCK) {
        acc += (double)x[base + layout_offset(reduced, r)];
    }
    double total = block_sum(acc);
    if (threadIdx.x == 0) out[blockIdx.x] = T(total);
}

// One thread per output, adding in increasing input order like the reference; used when few elements
// are reduced per output and a block each would leave most threads idle.
template <typename T>
__device__ void sum_serial(const T* x, T* out, int outSize, int reduceSize, const Layout& kept,
                           const Layout& reduced) {
    long long o = thread_index();
    if (o >= outSize) return;
    int base = layout_offset(kept, (int)o);
    double acc = 0;
    for (int r = 0; r < reduceSize; r++) {
        acc += (double)x[base + layout_offset(reduced, r)];
    }
    out[o] = T(acc);
}

// The better of two candidates (value, flat index; index -1 = none yet): a NaN beats any number, a larger
// value beats a smaller one, and on a tie the lower index wins. The rule is associative and commutative,
// so the block's tree finds the same winner as the reference's left-to-right scan: the first NaN if there
// is one, otherwise the first maximum.
template <typename T>
__device__ __forceinline__ bool better(T v, int i, T bestV, int bestI) {
    if (bestI < 0) return i >= 0;
    if (i < 0) return false;
    bool nan = v != v, bestNan = bestV != bestV;
    if (nan != bestNan) return nan;
    if (!nan && v != bestV) return v > bestV;
    return i < bestI;
}

// One thread per output, scanning in increasing input order; used when few elements are reduced per output.
template <typename T>
__device__ void argmax_serial(const T* x, int* out, int outSize, int reduceSize, const Layout& kept,
                              const Layout& reduced) {
    long long o = thread_index();
    if (o >= outSize) return;
    int base = layout_offset(kept, (int)o);
    T bestV = T(0);
    int bestI = -1;
    for (int r = 0; r < reduceSize; r++) {
        int i = base + layout_offset(reduced, r);
        if (better(x[i], i, bestV, bestI)) {
            bestV = x[i];
            bestI = i;
        }
    }
    out[o] = bestI;
}

// One block per output; writes the flat input index of the maximum (-1 when nothing is reduced).
template <typename T>
__device__ void argmax_blocks(const T* x, int* out, int reduceSize, const Layout& kept, const Layout& reduced) {
    __shared__ T values[REDUCE_BLOCK];
    __shared__ int indices[REDUCE_BLOCK];
    int base = layout_offset(kept, blockIdx.x);
    T bestV = T(0);
    int bestI = -1;
    for (int r = threadIdx.x; r < reduceSize; r += REDUCE_BLOCK) {
        int i = base + layout_offset(reduced, r);
        if (better(x[i], i, bestV, bestI)) {
            bestV = x[i];
            bestI = i;
        }
    }
    values[threadIdx.x] = bestV;
    indices[threadIdx.x] = bestI;
    __syncthreads();
    for (int s = REDUCE_BLOCK / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s && better(values[threadIdx.x + s], indices[threadIdx.x + s],
                                      values[threadIdx.x], indices[threadIdx.x])) {
            values[threadIdx.x] = values[threadIdx.x + s];
            indices[threadIdx.x] = indices[threadIdx.x + s];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = indices[0];
}

// One thread per (outer, inner) row. Subtracting the row maximum keeps exp from overflowing; the sum and
// the logarithm are taken in double, as in the reference. A NaN in the row makes the maximum NaN (Java's
// Math.max propagates it), and with it the whole row.
template <typename T>
__device__ void log_softmax(const T* x, T* out, int outer, int n, int inner) {
    long long row = thread_index();
    if (row >= (long long)outer * inner) return;
    int o = (int)(row / inner), i = (int)(row % inner);
    const T* in = x + (long long)o * n * inner + i;
    T* res = out + (long long)o * n * inner + i;
    double rowMax = -INFINITY;
    for (int j = 0; j < n; j++) {
        double v = (double)in[(long long)j * inner];
        if (v > rowMax || v != v) rowMax = v;
        if (rowMax != rowMax) break;
    }
    double s = 0;
    for (int j = 0; j < n; j++) {
        s += exp((double)in[(long long)j * inner] - rowMax);
    }
    double logSum = rowMax + log(s);
    for (int j = 0; j < n; j++) {
        res[(long long)j * inner] = T((double)in[(long long)j * inner] - logSum);
    }
}

extern "C" __global__ void sum_blocks_f32(const float* x, float* out, int reduceSize, Layout kept, Layout reduced) {
    sum_blocks(x, out, reduceSize, kept, reduced);
}
extern "C" __global__ void sum_blocks_f64(const double* x, double* out, int reduceSize, Layout kept,
                                          Layout reduced) {
    sum_blocks(x, out, reduceSize, kept, reduced);
}

extern "C" __global__ void sum_serial_f32(const float* x, float* out, int outSize, int reduceSize, Layout kept,
                                          Layout reduced) {
    sum_serial(x, out, outSize, reduceSize, kept, reduced);
}
extern "C" __global__ void sum_serial_f64(const double* x, double* out, int outSize, int reduceSize, Layout kept,
                                          Layout reduced) {
    sum_serial(x, out, outSize, reduceSize, kept, reduced);
}

extern "C" __global__ void argmax_blocks_f32(const float* x, int* out, int reduceSize, Layout kept,
                                             Layout reduced) {
    argmax_blocks(x, out, reduceSize, kept, reduced);
}
extern "C" __global__ void argmax_blocks_f64(const double* x, int* out, int reduceSize, Layout kept,
                                             Layout reduced) {
    argmax_blocks(x, out, reduceSize, kept, reduced);
}

extern "C" __global__ void argmax_serial_f32(const float* x, int* out, int outSize, int reduceSize, Layout kept,
                                             Layout reduced) {
    argmax_serial(x, out, outSize, reduceSize, kept, reduced);
}
extern "C" __global__ void argmax_serial_f64(const double* x, int* out, int outSize, int reduceSize, Layout kept,
                                             Layout reduced) {
    argmax_serial(x, out, outSize, reduceSize, kept, reduced);
}

extern "C" __global__ void log_softmax_f32(const float* x, float* out, int outer, int n, int inner) {
    log_softmax(x, out, outer, n, inner);
}
extern "C" __global__ void log_softmax_f64(const double* x, double* out, int outer, int n, int inner) {
    log_softmax(x, out, outer, n, inner);
}
