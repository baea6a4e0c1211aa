// Movement kernels. One strided gather serves permute, expand and slice; one strided scatter serves pad
// and concat; take and scatter_add move elements by a flat index array.
#include "common.cuh"

// out[i] = x[base + offset(i)]: the layout iterates the output.
template <typename T>
__device__ void gather(const T* x, T* out, int n, const Layout& l) {
    long long i = thread_index();
    if (i < n) out[i] = x[layout_offset(l, (int)i)];
}

// out[base + offset(i)] = x[i]: the layout iterates the input and its strides are the output's.
template <typename T>
__device__ void scatter(const T* x, T* out, int n, const Layout& l) {
    long long i = thread_index();
    if (i < n) out[layout_offset(l, (int)i)] = x[i];
}

template <typename T>
__device__ void take(const T* x, const int* index, T* out, int n) {
    long long i = thread_index();
    if (i < n) out[i] = x[index[i]];
}

// Deterministic scatter-add without atomics (float atomics would add in a timing-dependent order).
// The host groups the source positions by destination (a counting sort that keeps them in increasing
// order): destination j receives sources order[start[j]] .. order[start[j+1] - 1]. One thread per
// destination adds them in that order, in double, as the reference does, then rounds once.
template <typename T>
__device__ void scatter_add(const T* src, const int* order, const int* start, T* out, int outSize) {
    long long j = thread_index();
    if (j >= outSize) return;
    double sum = 0;
    for (int k = start[j]; k < start[j + 1]; k++) {
        sum += (double)src[order[k]];
    }
    out[j] = T(sum);
}

extern "C" __global__ void gather_f32(const float* x, float* out, int n, Layout l) { gather(x, out, n, l); }
extern "C" __global__ void gather_f64(const double* x, double* out, int n, Layout l) { gather(x, out, n, l); }

extern "C" __global__ void scatter_f32(const float* x, float* out, int n, Layout l) { scatter(x, out, n, l); }
extern "C" __global__ void scatter_f64(const double* x, double* out, int n, Layout l) { scatter(x, out, n, l); }

extern "C" __global__ void take_f32(const float* x, const int* index, float* out, int n) { take(x, index, out, n); }
extern "C" __global__ void take_f64(const double* x, const int* index, double* out, int n) {
    take(x, index, out, n);
}

extern "C" __global__ void scatter_add_f32(const float* src, const int* order, const int* start, float* out,
                                           int outSize) {
    scatter_add(src, order, start, out, outSize);
}
extern "C" __global__ void scatter_add_f64(const double* src, const int* order, const int* start, double* out,
                                           int outSize) {
    scatter_add(src, order, start, out, outSize);
}
