// Max pooling's choice of element; the backward pass is a scatter-add by these indices (movement.cu).
#include "common.cuh"

// One thread per output [n, c, y, x]: the flat input index of the window's maximum, by the reference's
// rule: positions in the padding are skipped, so padding never wins; a later element must be strictly
// greater to win, so ties go to the first in row-major window order; a NaN wins, and then stays, as in argMax.
template <typename T>
__device__ void max_pool2d_argmax(const T* x, int* out, ConvShape s) {
    long long o = thread_index();
    if (o >= (long long)s.n * s.c * s.oh * s.ow) return;
    int ox = (int)(o % s.ow);
    int oy = (int)(o / s.ow % s.oh);
    int plane = (int)(o / ((long long)s.ow * s.oh));  // n * c + channel
    int best = -1;
    for (int i = 0; i < s.kh; i++) {
        int ih = oy * s.strideH - s.padH + i;
        if (ih < 0 || ih >= s.h) continue;
        for (int j = 0; j < s.kw; j++) {
            int iw = ox * s.strideW - s.padW + j;
            if (iw < 0 || iw >= s.w) continue;
            int at = (plane * s.h + ih) * s.w + iw;
            T v = x[at];
            bool bestIsNan = best >= 0 && x[best] != x[best];
            if (best < 0 || (!bestIsNan && (v > x[best] || v != v))) best = at;
        }
    }
    out[o] = best;
}

extern "C" __global__ void max_pool2d_argmax_f32(const float* x, int* out, ConvShape s) {
    max_pool2d_argmax(x, out, s);
}
extern "C" __global__ void max_pool2d_argmax_f64(const double* x, int* out, ConvShape s) {
    max_pool2d_argmax(x, out, s);
}
