// Lets the kernel sources of src/main/cuda compile as host C++ for the CPU emulator (emulator.cpp), which
// the tests use to run every kernel without a GPU. Only what those sources use is defined.
#pragma once

#include <cmath>
#include <cstdint>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
// One block runs at a time, so function-local statics behave as the block's shared memory.
#define __shared__ static

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

// The emulator sets these before running each thread.
extern dim3 threadIdx, blockIdx, blockDim, gridDim;

void __syncthreads();

using std::isinf;
using std::signbit;
