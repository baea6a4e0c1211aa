// Elementwise kernels: fill, cast, unary functions, broadcast binary functions and where.
// The scalar definitions follow antidote.backend.UnaryOp and BinaryOp (Java's Math semantics).
#include "common.cuh"

// Operation codes; antidote.backend.cuda.OpCodes maps the Java enums to these numbers.
enum UnaryCode { U_NEG, U_EXP, U_LOG, U_SQRT, U_ABS, U_RELU, U_TANH, U_SIGMOID, U_POW, U_ELU };
enum BinaryCode { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE };

template <typename T>
__device__ T apply_unary(int op, T x, double param) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return m_exp(x);
        case U_LOG: return m_log(x);
        case U_SQRT: return m_sqrt(x);
        case U_ABS: return m_abs(x);
        // NaN is not > 0, so ReLU(NaN) = 0, as in UnaryOp.RELU.
        case U_RELU: return x > T(0) ? x : T(0);
        case U_TANH: return m_tanh(x);
        // The two branches avoid exp overflow: only exp of a non-positive number is ever taken.
        case U_SIGMOID: {
            if (x >= T(0)) {
                return T(1) / (T(1) + m_exp(-x));
            }
            T e = m_exp(x);
            return e / (T(1) + e);
        }
        case U_POW: {
            // C's pow returns 1 for pow(1, NaN) and pow(-1, ±inf); Java's Math.pow returns NaN.
            if (param != param || (m_abs(x) == T(1) && isinf(param))) {
                return T(NAN);
            }
            return m_pow(x, T(param));
        }
        case U_ELU: return x > T(0) ? x : T(param) * m_expm1(x);
        default: return T(NAN);
    }
}

template <typename T>
__device__ T apply_binary(int op, T a, T b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        // Java's Math.max/min: NaN propagates (fmax would drop it) and 0.0 > -0.0.
        case B_MAX:
            if (a != a || b != b) return a + b;
            if (a == b) return signbit(a) ? b : a;
            return a > b ? a : b;
        case B_MIN:
            if (a != a || b != b) return a + b;
            if (a == b) return signbit(a) ? a : b;
            return a < b ? a : b;
        case B_EQ: return a == b ? T(1) : T(0);
        case B_NE: return a != b ? T(1) : T(0);
        case B_LT: return a < b ? T(1) : T(0);
        case B_LE: return a <= b ? T(1) : T(0);
        case B_GT: return a > b ? T(1) : T(0);
        case B_GE: return a >= b ? T(1) : T(0);
        default: return T(NAN);
    }
}

template <typename T>
__device__ void fill(T* out, int n, double value) {
    long long i = thread_index();
    if (i < n) out[i] = T(value);
}

template <typename From, typename To>
__device__ void cast(const From* x, To* out, int n) {
    long long i = thread_index();
    if (i < n) out[i] = To(x[i]);
}

template <typename T>
__device__ void unary(int op, const T* x, T* out, int n, double param) {
    long long i = thread_index();
    if (i < n) out[i] = apply_unary(op, x[i], param);
}

// Operand 0 of the layout is a, operand 1 is b; the output is contiguous.
template <typename T>
__device__ void binary(int op, const T* a, const T* b, T* out, int n, const Layout& l) {
    long long i = thread_index();
    if (i >= n) return;
    int off[2];
    layout_offsets<2>(l, (int)i, off);
    out[i] = apply_binary(op, a[off[0]], b[off[1]]);
}

// Operands 0, 1, 2 of the layout are cond, a, b.
template <typename T>
__device__ void where(const T* cond, const T* a, const T* b, T* out, int n, const Layout& l) {
    long long i = thread_index();
    if (i >= n) return;
    int off[3];
    layout_offsets<3>(l, (int)i, off);
    out[i] = cond[off[0]] != T(0) ? a[off[1]] : b[off[2]];
}

extern "C" __global__ void fill_f32(float* out, int n, double value) { fill(out, n, value); }
extern "C" __global__ void fill_f64(double* out, int n, double value) { fill(out, n, value); }

// cast_<target>: the source has the other dtype.
extern "C" __global__ void cast_f32(const double* x, float* out, int n) { cast(x, out, n); }
extern "C" __global__ void cast_f64(const float* x, double* out, int n) { cast(x, out, n); }

extern "C" __global__ void unary_f32(int op, const float* x, float* out, int n, double param) {
    unary(op, x, out, n, param);
}
extern "C" __global__ void unary_f64(int op, const double* x, double* out, int n, double param) {
    unary(op, x, out, n, param);
}

extern "C" __global__ void binary_f32(int op, const float* a, const float* b, float* out, int n, Layout l) {
    binary(op, a, b, out, n, l);
}
extern "C" __global__ void binary_f64(int op, const double* a, const double* b, double* out, int n, Layout l) {
    binary(op, a, b, out, n, l);
}

extern "C" __global__ void where_f32(const float* cond, const float* a, const float* b, float* out, int n, Layout l) {
    where(cond, a, b, out, n, l);
}
extern "C" __global__ void where_f64(const double* cond, const double* a, const double* b, double* out, int n,
                                     Layout l) {
    where(cond, a, b, out, n, l);
}
