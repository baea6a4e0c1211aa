// Batched matrix product C[b] = A[b]·B[b] of row-major [m,k] by [k,n] matrices: the fallback when cuBLAS is
// not loaded. Classic shared-memory tiling: each block computes a TILE x TILE piece of C, staging TILE-wide
// strips of A and B through shared memory so each global element is read once per tile instead of once per
// multiply.
#include "common.cuh"

#define TILE 16

// Block (TILE, TILE); grid (ceil(n/TILE), rows, batches) where rows and batches may be fewer than the
// ceil(m/TILE) row tiles and the batch count (grid y and z stop at 65535): blocks then loop over them.
// The loop bounds are the same for every thread of a block, so the __syncthreads inside are reached by all.
// Out-of-range rows and columns load zeros, so partial edge tiles need no special case.
template <typename T>
__device__ void matmul(const T* a, const T* b, T* c, int batch, int m, int k, int n) {
    __shared__ T tileA[TILE][TILE];
    __shared__ T tileB[TILE][TILE];
    int col = blockIdx.x * TILE + threadIdx.x;
    for (long long p = blockIdx.z; p < batch; p += gridDim.z) {
        const T* ap = a + p * m * k;
        const T* bp = b + p * k * n;
        T* cp = c + p * m * n;
        for (int rowTile = blockIdx.y * TILE; rowTile < m; rowTile += gridDim.y * TILE) {
            int row = rowTile + threadIdx.y;
            T acc = T(0);
            for (int t = 0; t < k; t += TILE) {
                int ak = t + threadIdx.x;
                int bk = t + threadIdx.y;
                tileA[threadIdx.y][threadIdx.x] = row < m && ak < k ? ap[(long long)row * k + ak] : T(0);
                tileB[threadIdx.y][threadIdx.x] = bk < k && col < n ? bp[(long long)bk * n + col] : T(0);
                __syncthreads();
#pragma unroll
                for (int q = 0; q < TILE; q++) {
                    acc += tileA[threadIdx.y][q] * tileB[q][threadIdx.x];
                }
                __syncthreads();
            }
            if (row < m && col < n) cp[(long long)row * n + col] = acc;
        }
    }
}

extern "C" __global__ void matmul_f32(const float* a, const float* b, float* c, int batch, int m, int k, int n) {
    matmul(a, b, c, batch, m, k, n);
}
extern "C" __global__ void matmul_f64(const double* a, const double* b, double* c, int batch, int m, int k, int n) {
    matmul(a, b, c, batch, m, k, n);
}
