// A CPU emulator of the Antidote kernels, for tests on machines without a GPU (EmulatedGpu.java drives it).
//
// It compiles the kernel sources as host C++ (cuda_host_shim.h) and serves a little-endian binary protocol
// on stdin/stdout: allocate, free, upload, download, copy and launch. Device addresses are this process's
// heap addresses, so pointer arguments and offsets work unchanged. A block's threads run one after another;
// kernels that call __syncthreads run each thread as a fiber (ucontext) and switch at every barrier, which
// gives exactly the barrier semantics, and a barrier that some threads skip is reported as an error.
// Build with -fsanitize=address,undefined so that out-of-bounds accesses and integer overflow are caught.
#include "cuda_host_shim.h"

#include "elementwise.cu"
#include "movement.cu"
#include "reduce.cu"
#include "gemm.cu"
#include "conv.cu"
#include "pool.cu"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <ucontext.h>
#include <vector>

dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace {

constexpr int MAX_THREADS = 1024;
// Small, because AddressSanitizer unpoisons a fiber's whole stack at every switch; the kernels need little.
constexpr size_t FIBER_STACK = 32 * 1024;

// ---- fibers

ucontext_t scheduler;
ucontext_t fibers[MAX_THREADS];
bool finished[MAX_THREADS];
int current = -1;
bool inFiber = false;
std::function<void()> body;
std::vector<char> stacks;

void fiberMain() {
    body();
    finished[current] = true;
}

void setThread(int t) {
    threadIdx.x = t % blockDim.x;
    threadIdx.y = t / blockDim.x % blockDim.y;
    threadIdx.z = t / (blockDim.x * blockDim.y);
}

void runBlockSequentially(int threads) {
    for (int t = 0; t < threads; t++) {
        setThread(t);
        body();
    }
}

void runBlockAsFibers(int threads) {
    if (stacks.empty()) {
        stacks.resize(FIBER_STACK * MAX_THREADS);
    }
    for (int t = 0; t < threads; t++) {
        finished[t] = false;
        getcontext(&fibers[t]);
        fibers[t].uc_stack.ss_sp = stacks.data() + FIBER_STACK * t;
        fibers[t].uc_stack.ss_size = FIBER_STACK;
        fibers[t].uc_link = &scheduler;
        makecontext(&fibers[t], fiberMain, 0);
    }
    inFiber = true;
    // Each round runs every live thread up to its next barrier or its end.
    for (;;) {
        int atBarrier = 0;
        int ended = 0;
        for (int t = 0; t < threads; t++) {
            if (finished[t]) continue;
            current = t;
            setThread(t);
            swapcontext(&scheduler, &fibers[t]);
            finished[t] ? ended++ : atBarrier++;
        }
        if (atBarrier == 0) break;
        if (ended > 0) {
            inFiber = false;
            throw std::runtime_error("__syncthreads reached by only some threads of a block");
        }
    }
    inFiber = false;
}

}  // namespace

void __syncthreads() {
    if (!inFiber) {
        fprintf(stderr, "emulator: a kernel not marked as using barriers called __syncthreads\n");
        abort();
    }
    swapcontext(&fibers[current], &scheduler);
}

namespace {

// ---- arguments and the kernel table

struct Args {
    std::vector<std::vector<uint8_t>> raw;

    template <typename T>
    T get(size_t i) const {
        if (i >= raw.size() || raw[i].size() != sizeof(T)) {
            throw std::runtime_error("argument " + std::to_string(i) + " has the wrong size");
        }
        T v;
        memcpy(&v, raw[i].data(), sizeof(T));
        return v;
    }

    template <typename T>
    T* ptr(size_t i) const {
        return reinterpret_cast<T*>(get<uint64_t>(i));
    }
};

struct Entry {
    bool barriers;
    size_t arity;
    std::function<void(const Args&)> call;
};

// ENTRY(symbol, uses __syncthreads, argument count, (arguments unpacked from a)).
#define ENTRY(symbol, barriers, arity, arguments) {#symbol, {barriers, arity, [](const Args& a) { symbol arguments; }}}
#define BOTH(name, barriers, arity, F, D) ENTRY(name##_f32, barriers, arity, F), ENTRY(name##_f64, barriers, arity, D)

const std::map<std::string, Entry> KERNELS = {
    BOTH(fill, false, 3,
         (a.ptr<float>(0), a.get<int>(1), a.get<double>(2)),
         (a.ptr<double>(0), a.get<int>(1), a.get<double>(2))),
    ENTRY(cast_f32, false, 3, (a.ptr<double>(0), a.ptr<float>(1), a.get<int>(2))),
    ENTRY(cast_f64, false, 3, (a.ptr<float>(0), a.ptr<double>(1), a.get<int>(2))),
    BOTH(unary, false, 5,
         (a.get<int>(0), a.ptr<float>(1), a.ptr<float>(2), a.get<int>(3), a.get<double>(4)),
         (a.get<int>(0), a.ptr<double>(1), a.ptr<double>(2), a.get<int>(3), a.get<double>(4))),
    BOTH(binary, false, 6,
         (a.get<int>(0), a.ptr<float>(1), a.ptr<float>(2), a.ptr<float>(3), a.get<int>(4), a.get<Layout>(5)),
         (a.get<int>(0), a.ptr<double>(1), a.ptr<double>(2), a.ptr<double>(3), a.get<int>(4), a.get<Layout>(5))),
    BOTH(where, false, 6,
         (a.ptr<float>(0), a.ptr<float>(1), a.ptr<float>(2), a.ptr<float>(3), a.get<int>(4), a.get<Layout>(5)),
         (a.ptr<double>(0), a.ptr<double>(1), a.ptr<double>(2), a.ptr<double>(3), a.get<int>(4), a.get<Layout>(5))),
    BOTH(gather, false, 4,
         (a.ptr<float>(0), a.ptr<float>(1), a.get<int>(2), a.get<Layout>(3)),
         (a.ptr<double>(0), a.ptr<double>(1), a.get<int>(2), a.get<Layout>(3))),
    BOTH(scatter, false, 4,
         (a.ptr<float>(0), a.ptr<float>(1), a.get<int>(2), a.get<Layout>(3)),
         (a.ptr<double>(0), a.ptr<double>(1), a.get<int>(2), a.get<Layout>(3))),
    BOTH(take, false, 4,
         (a.ptr<float>(0), a.ptr<int>(1), a.ptr<float>(2), a.get<int>(3)),
         (a.ptr<double>(0), a.ptr<int>(1), a.ptr<double>(2), a.get<int>(3))),
    BOTH(scatter_add, false, 5,
         (a.ptr<float>(0), a.ptr<int>(1), a.ptr<int>(2), a.ptr<float>(3), a.get<int>(4)),
         (a.ptr<double>(0), a.ptr<int>(1), a.ptr<int>(2), a.ptr<double>(3), a.get<int>(4))),
    BOTH(sum_blocks, true, 5,
         (a.ptr<float>(0), a.ptr<float>(1), a.get<int>(2), a.get<Layout>(3), a.get<Layout>(4)),
         (a.ptr<double>(0), a.ptr<double>(1), a.get<int>(2), a.get<Layout>(3), a.get<Layout>(4))),
    BOTH(sum_serial, false, 6,
         (a.ptr<float>(0), a.ptr<float>(1), a.get<int>(2), a.get<int>(3), a.get<Layout>(4), a.get<Layout>(5)),
         (a.ptr<double>(0), a.ptr<double>(1), a.get<int>(2), a.get<int>(3), a.get<Layout>(4), a.get<Layout>(5))),
    BOTH(argmax_blocks, true, 5,
         (a.ptr<float>(0), a.ptr<int>(1), a.get<int>(2), a.get<Layout>(3), a.get<Layout>(4)),
         (a.ptr<double>(0), a.ptr<int>(1), a.get<int>(2), a.get<Layout>(3), a.get<Layout>(4))),
    BOTH(argmax_serial, false, 6,
         (a.ptr<float>(0), a.ptr<int>(1), a.get<int>(2), a.get<int>(3), a.get<Layout>(4), a.get<Layout>(5)),
         (a.ptr<double>(0), a.ptr<int>(1), a.get<int>(2), a.get<int>(3), a.get<Layout>(4), a.get<Layout>(5))),
    BOTH(log_softmax, false, 5,
         (a.ptr<float>(0), a.ptr<float>(1), a.get<int>(2), a.get<int>(3), a.get<int>(4)),
         (a.ptr<double>(0), a.ptr<double>(1), a.get<int>(2), a.get<int>(3), a.get<int>(4))),
    BOTH(matmul, true, 7,
         (a.ptr<float>(0), a.ptr<float>(1), a.ptr<float>(2), a.get<int>(3), a.get<int>(4), a.get<int>(5), a.get<int>(6)),
         (a.ptr<double>(0), a.ptr<double>(1), a.ptr<double>(2), a.get<int>(3), a.get<int>(4), a.get<int>(5),
          a.get<int>(6))),
    BOTH(conv2d_forward, false, 4,
         (a.ptr<float>(0), a.ptr<float>(1), a.ptr<float>(2), a.get<ConvShape>(3)),
         (a.ptr<double>(0), a.ptr<double>(1), a.ptr<double>(2), a.get<ConvShape>(3))),
    BOTH(conv2d_backward_input, false, 4,
         (a.ptr<float>(0), a.ptr<float>(1), a.ptr<float>(2), a.get<ConvShape>(3)),
         (a.ptr<double>(0), a.ptr<double>(1), a.ptr<double>(2), a.get<ConvShape>(3))),
    BOTH(conv2d_backward_filter, true, 4,
         (a.ptr<float>(0), a.ptr<float>(1), a.ptr<float>(2), a.get<ConvShape>(3)),
         (a.ptr<double>(0), a.ptr<double>(1), a.ptr<double>(2), a.get<ConvShape>(3))),
    BOTH(max_pool2d_argmax, false, 3,
         (a.ptr<float>(0), a.ptr<int>(1), a.get<ConvShape>(2)),
         (a.ptr<double>(0), a.ptr<int>(1), a.get<ConvShape>(2))),
};

void launch(const std::string& name, const dim3& grid, const dim3& block, const Args& args) {
    auto found = KERNELS.find(name);
    if (found == KERNELS.end()) throw std::runtime_error("no kernel " + name + " in the emulator");
    const Entry& entry = found->second;
    if (args.raw.size() != entry.arity) {
        throw std::runtime_error(name + " takes " + std::to_string(entry.arity) + " arguments, got "
                                 + std::to_string(args.raw.size()));
    }
    int threads = block.x * block.y * block.z;
    if (threads < 1 || threads > MAX_THREADS) throw std::runtime_error("bad block size");
    gridDim = grid;
    blockDim = block;
    body = [&] { entry.call(args); };
    for (unsigned z = 0; z < grid.z; z++) {
        for (unsigned y = 0; y < grid.y; y++) {
            for (unsigned x = 0; x < grid.x; x++) {
                blockIdx.x = x;
                blockIdx.y = y;
                blockIdx.z = z;
                entry.barriers ? runBlockAsFibers(threads) : runBlockSequentially(threads);
            }
        }
    }
}

// ---- protocol: every request gets a status byte (0 ok, then any payload; 1 error, then u32 length + text)

void readExactly(void* to, size_t bytes) {
    if (bytes > 0 && fread(to, 1, bytes, stdin) != bytes) exit(0);  // the JVM closed the pipe
}

template <typename T>
T read() {
    T v;
    readExactly(&v, sizeof(T));
    return v;
}

void reply(const void* payload, size_t bytes) {
    uint8_t ok = 0;
    fwrite(&ok, 1, 1, stdout);
    if (bytes > 0) fwrite(payload, 1, bytes, stdout);
    fflush(stdout);
}

void replyError(const std::string& message) {
    uint8_t status = 1;
    uint32_t length = message.size();
    fwrite(&status, 1, 1, stdout);
    fwrite(&length, 4, 1, stdout);
    fwrite(message.data(), 1, length, stdout);
    fflush(stdout);
}

}  // namespace

int main() {
    for (;;) {
        uint8_t op = read<uint8_t>();
        try {
            switch (op) {
                case 1: {  // allocate: u64 bytes -> u64 address; filled with 0xFF (NaN) to expose reads of unset memory
                    uint64_t bytes = read<uint64_t>();
                    void* p = malloc(bytes);
                    memset(p, 0xFF, bytes);
                    uint64_t address = reinterpret_cast<uint64_t>(p);
                    reply(&address, 8);
                    break;
                }
                case 2: {  // free: u64 address
                    free(reinterpret_cast<void*>(read<uint64_t>()));
                    reply(nullptr, 0);
                    break;
                }
                case 3: {  // upload: u64 address, u64 bytes, bytes
                    auto* p = reinterpret_cast<uint8_t*>(read<uint64_t>());
                    uint64_t bytes = read<uint64_t>();
                    readExactly(p, bytes);
                    reply(nullptr, 0);
                    break;
                }
                case 4: {  // download: u64 address, u64 bytes -> bytes
                    auto* p = reinterpret_cast<uint8_t*>(read<uint64_t>());
                    uint64_t bytes = read<uint64_t>();
                    reply(p, bytes);
                    break;
                }
                case 5: {  // copy: u64 dst, u64 src, u64 bytes
                    auto* dst = reinterpret_cast<uint8_t*>(read<uint64_t>());
                    auto* src = reinterpret_cast<uint8_t*>(read<uint64_t>());
                    memcpy(dst, src, read<uint64_t>());
                    reply(nullptr, 0);
                    break;
                }
                case 6: {  // launch: u32 name length, name, u32 grid xyz, u32 block xyz, u32 count, (u32 size, bytes)*
                    std::string name(read<uint32_t>(), '\0');
                    readExactly(name.data(), name.size());
                    dim3 grid, block;
                    grid.x = read<uint32_t>();
                    grid.y = read<uint32_t>();
                    grid.z = read<uint32_t>();
                    block.x = read<uint32_t>();
                    block.y = read<uint32_t>();
                    block.z = read<uint32_t>();
                    Args args;
                    args.raw.resize(read<uint32_t>());
                    for (auto& arg : args.raw) {
                        arg.resize(read<uint32_t>());
                        readExactly(arg.data(), arg.size());
                    }
                    launch(name, grid, block, args);
                    reply(nullptr, 0);
                    break;
                }
                default:
                    fprintf(stderr, "emulator: unknown request %d\n", op);
                    return 2;
            }
        } catch (const std::exception& e) {
            replyError(e.what());
        }
    }
}
