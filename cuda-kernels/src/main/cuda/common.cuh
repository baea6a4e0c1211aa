// Definitions shared by every Antidote kernel file.
//
// Each kernel is a template instantiated twice, as <name>_f32 and <name>_f64, with extern "C" linkage
// so that the Java side (antidote.backend.cuda.Kernel) finds it by that plain name in the PTX.
// Tensors hold fewer than 2^31 elements (Storage.size() is an int), so element offsets are ints.
#pragma once

#define MAX_RANK 8
#define MAX_OPERANDS 3
// Threads per block of the block-per-output kernels; the Java side launches them with exactly this many.
#define REDUCE_BLOCK 256

// A row-major iteration space of `rank` dimensions and, for up to three operands, the element stride
// of each dimension (0 where the operand is broadcast). `base` is added to operand 0's offset: the
// start of a slice, or where pad and concat place their input. Packed by antidote.backend.cuda.Layout.
struct Layout {
    int rank;
    int base;
    int dims[MAX_RANK];
    int strides[MAX_OPERANDS][MAX_RANK];
};

// The offsets of iteration position `flat` for the first `operands` operands. The loop is unrolled over
// MAX_RANK with a guard, so that every array index is a constant and the compiler can read the Layout
// straight from the kernel parameters instead of copying it to local memory.
template <int operands>
__device__ __forceinline__ void layout_offsets(const Layout& l, int flat, int (&off)[operands]) {
#pragma unroll
    for (int k = 0; k < operands; k++) {
        off[k] = 0;
    }
#pragma unroll
    for (int a = MAX_RANK - 1; a >= 0; a--) {
        if (a < l.rank) {
            int coord = flat % l.dims[a];
            flat /= l.dims[a];
#pragma unroll
            for (int k = 0; k < operands; k++) {
                off[k] += coord * l.strides[k][a];
            }
        }
    }
}

// Offset of operand 0 at position `flat`, including the layout's base.
__device__ __forceinline__ int layout_offset(const Layout& l, int flat) {
    int off[1];
    layout_offsets<1>(l, flat, off);
    return l.base + off[0];
}

// The flat index of this thread in a 1-D launch, computed in 64 bits so that it cannot wrap before
// the bounds check when n is close to 2^31.
__device__ __forceinline__ long long thread_index() {
    return (long long)blockIdx.x * blockDim.x + threadIdx.x;
}

// The geometry of a 2-D convolution or pooling over NCHW data; packed by antidote.backend.cuda.ConvShape.
struct ConvShape {
    int n, c, h, w;        // input
    int f, kh, kw;         // filter count and window
    int oh, ow;            // output spatial size
    int strideH, strideW, padH, padW;
};

// Sums one double per thread over a block of REDUCE_BLOCK threads; every thread must call it, and the
// result is returned to all of them (call it at most once per kernel: the shared array is not re-fenced
// for a second use). The tree has a fixed shape, so the result does not depend on timing:
// the same inputs give the same bits on every run.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double partial[REDUCE_BLOCK];
    partial[threadIdx.x] = v;
    __syncthreads();
    for (int s = REDUCE_BLOCK / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            partial[threadIdx.x] += partial[threadIdx.x + s];
        }
        __syncthreads();
    }
    return partial[0];
}

// Single- and double-precision overloads, so that templates call the right-precision function.
__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_expm1(float x) { return expm1f(x); }
__device__ __forceinline__ double m_expm1(double x) { return expm1(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float m_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float m_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }
__device__ __forceinline__ float m_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float m_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double m_pow(double x, double y) { return pow(x, y); }
