// Direct 2-D convolution (cross-correlation, NCHW, no bias) and its two gradients: the fallback when cuDNN
// is not loaded. Each kernel gathers into its own output element, so no atomics are needed and every
// result is deterministic.
#include "common.cuh"

// One thread per output [n, f, y, x]: the sum over channels and taps that fall inside the input.
template <typename T>
__device__ void conv2d_forward(const T* x, const T* w, T* out, ConvShape s) {
    long long o = thread_index();
    if (o >= (long long)s.n * s.f * s.oh * s.ow) return;
    int ox = (int)(o % s.ow);
    int oy = (int)(o / s.ow % s.oh);
    int f = (int)(o / ((long long)s.ow * s.oh) % s.f);
    int n = (int)(o / ((long long)s.ow * s.oh * s.f));
    T acc = T(0);
    for (int c = 0; c < s.c; c++) {
        const T* plane = x + ((long long)n * s.c + c) * s.h * s.w;
        const T* filter = w + ((long long)f * s.c + c) * s.kh * s.kw;
        for (int i = 0; i < s.kh; i++) {
            int ih = oy * s.strideH - s.padH + i;
            if (ih < 0 || ih >= s.h) continue;
            for (int j = 0; j < s.kw; j++) {
                int iw = ox * s.strideW - s.padW + j;
                if (iw < 0 || iw >= s.w) continue;
                acc += plane[ih * s.w + iw] * filter[i * s.kw + j];
            }
        }
    }
    out[o] = acc;
}

// One thread per input element [n, c, ih, iw]: the sum over the outputs whose window covers it, found
// by inverting ih = y * stride - pad + i (only taps where the division by the stride is exact count).
template <typename T>
__device__ void conv2d_backward_input(const T* gradOut, const T* w, T* dx, ConvShape s) {
    long long o = thread_index();
    if (o >= (long long)s.n * s.c * s.h * s.w) return;
    int iw = (int)(o % s.w);
    int ih = (int)(o / s.w % s.h);
    int c = (int)(o / ((long long)s.w * s.h) % s.c);
    int n = (int)(o / ((long long)s.w * s.h * s.c));
    T acc = T(0);
    for (int f = 0; f < s.f; f++) {
        const T* grad = gradOut + ((long long)n * s.f + f) * s.oh * s.ow;
        const T* filter = w + ((long long)f * s.c + c) * s.kh * s.kw;
        for (int i = 0; i < s.kh; i++) {
            int yy = ih + s.padH - i;
            if (yy < 0 || yy % s.strideH != 0 || yy / s.strideH >= s.oh) continue;
            for (int j = 0; j < s.kw; j++) {
                int xx = iw + s.padW - j;
                if (xx < 0 || xx % s.strideW != 0 || xx / s.strideW >= s.ow) continue;
                acc += grad[(yy / s.strideH) * s.ow + xx / s.strideW] * filter[i * s.kw + j];
            }
        }
    }
    dx[o] = acc;
}

// One block of REDUCE_BLOCK threads per filter element [f, c, i, j]: a sum over n and every output
// position, which is long (N·OH·OW terms), so a block shares it and adds the partial sums in a fixed tree.
template <typename T>
__device__ void conv2d_backward_filter(const T* x, const T* gradOut, T* dw, ConvShape s) {
    int e = blockIdx.x;
    int j = e % s.kw;
    int i = e / s.kw % s.kh;
    int c = e / (s.kw * s.kh) % s.c;
    int f = e / (s.kw * s.kh * s.c);
    int positions = s.n * s.oh * s.ow;
    double acc = 0;
    for (int p = threadIdx.x; p < positions; p += REDUCE_BLOCK) {
        int ox = p % s.ow;
        int oy = p / s.ow % s.oh;
        int n = p / (s.ow * s.oh);
        int ih = oy * s.strideH - s.padH + i;
        int iw = ox * s.strideW - s.padW + j;
        if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue;
        acc += (double)gradOut[(((long long)n * s.f + f) * s.oh + oy) * s.ow + ox]
               * (double)x[(((long long)n * s.c + c) * s.h + ih) * s.w + iw];
    }
    double total = block_sum(acc);
    if (threadIdx.x == 0) dw[e] = T(total);
}

extern "C" __global__ void conv2d_forward_f32(const float* x, const float* w, float* out, ConvShape s) {
    conv2d_forward(x, w, out, s);
}
extern "C" __global__ void conv2d_forward_f64(const double* x, const double* w, double* out, ConvShape s) {
    conv2d_forward(x, w, out, s);
}

extern "C" __global__ void conv2d_backward_input_f32(const float* gradOut, const float* w, float* dx, ConvShape s) {
    conv2d_backward_input(gradOut, w, dx, s);
}
extern "C" __global__ void conv2d_backward_input_f64(const double* gradOut, const double* w, double* dx,
                                                     ConvShape s) {
    conv2d_backward_input(gradOut, w, dx, s);
}

extern "C" __global__ void conv2d_backward_filter_f32(const float* x, const float* gradOut, float* dw, ConvShape s) {
    conv2d_backward_filter(x, gradOut, dw, s);
}
extern "C" __global__ void conv2d_backward_filter_f64(const double* x, const double* gradOut, double* dw,
                                                      ConvShape s) {
    conv2d_backward_filter(x, gradOut, dw, s);
}
