package antidote.backend.cuda;

import antidote.core.DType;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GPU through the driver API: its primary context (the one the CUDA runtime, and so cuBLAS and cuDNN,
 * also use), one stream on which all of this device's work runs in order, the loaded PTX modules, and the
 * memory pool. Creating it loads every module, so a driver that cannot JIT the PTX fails here, at probe time.
 */
final class CudaContext implements Gpu {
    final CUstream stream = new CUstream();
    private final int index;
    private final DevicePool pool;
    private final PinnedStaging staging = new PinnedStaging();
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    /** Every kernel of every module, looked up when the context is created: a missing one fails the probe. */
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<String, Object> properties;
    private final String description;

    /** Opens device {@code index}; throws CudaException (or a LinkageError without the driver) when it cannot. */
    CudaContext(int index) {
        this.index = index;
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (index >= count[0]) {
            throw new IllegalArgumentException("no CUDA device " + index + ": this machine has " + count[0]);
        }
        JCudaDriver.cuDeviceGet(device, index);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        JCudaDriver.cuCtxSetCurrent(context);
        // A blocking stream (not CU_STREAM_NON_BLOCKING): it also orders against the legacy default stream that
        // the synchronous cuMemcpy calls use.
        JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
        for (String module : Kernel.modules()) {
            loadModule(module);
        }
        this.pool = new DevicePool(new DriverAllocator());
        this.properties = query();
        this.description = "cuda:" + index + " " + properties.get("name") + " (sm_"
                + properties.get("compute_capability").toString().replace(".", "") + ", driver CUDA "
                + properties.get("driver_cuda_version") + ")";
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public DevicePool pool() {
        return pool;
    }

    @Override
    public void enter() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    public void launch(Kernel kernel, DType dtype, int gridX, int gridY, int gridZ, int blockX, int blockY,
                       KernelArgs args) {
        try {
            JCudaDriver.cuLaunchKernel(functions.get(kernel.symbol(dtype)), gridX, gridY, gridZ, blockX, blockY, 1, 0,
                    stream, args.toPointer(), null);
        } catch (CudaException e) {
            throw new IllegalStateException("launching " + kernel.symbol(dtype) + args + " on grid (" + gridX + ", "
                    + gridY + ", " + gridZ + "), block (" + blockX + ", " + blockY + ") failed: " + e.getMessage(), e);
        } finally {
            // Until the kernel is queued, its buffers must stay reachable; once queued, stream order protects them.
            Reference.reachabilityFence(args);
        }
    }

    /**
     * Host to device, synchronous (large arrays through page-locked memory, {@link PinnedStaging}); the stream is
     * drained first so that the destination, possibly a block just returned to the pool, is no longer read by
     * queued kernels.
     */
    @Override
    public void upload(CUdeviceptr dst, Buffer host) {
        long bytes = Gpu.bytes(host);
        if (bytes > 0) {
            JCudaDriver.cuStreamSynchronize(stream);
            staging.upload(dst, host, bytes);
        }
    }

    /** After all queued work (which may still be writing the source) has finished. */
    @Override
    public void download(Buffer host, CUdeviceptr src) {
        long bytes = Gpu.bytes(host);
        JCudaDriver.cuStreamSynchronize(stream);
        if (bytes > 0) {
            JCudaDriver.cuMemcpyDtoH(Pointer.toBuffer(host), src, bytes);
        }
    }

    @Override
    public void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        if (bytes > 0) {
            JCudaDriver.cuMemcpyDtoDAsync(dst, src, bytes, stream);
        }
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return description;
    }

    private void loadModule(String name) {
        byte[] ptx = Ptx.read(name).orElseThrow(() -> new IllegalStateException("PTX module " + name
                + " is not on the class path; cuda-kernels was built without nvcc"));
        CUmodule module = new CUmodule();
        try {
            JCudaDriver.cuModuleLoadData(module, ptx);
        } catch (CudaException e) {
            throw new IllegalStateException("the driver could not load PTX module " + name + " (" + e.getMessage()
                    + "); CUDA_ERROR_UNSUPPORTED_PTX_VERSION means the driver is older than the PTX ISA the module"
                    + " declares (cuda.ptx.isa in cuda-kernels/pom.xml): update the NVIDIA driver", e);
        }
        for (Kernel kernel : Kernel.values()) {
            if (kernel.module.equals(name)) {
                for (DType dtype : DType.values()) {
                    CUfunction f = new CUfunction();
                    JCudaDriver.cuModuleGetFunction(f, module, kernel.symbol(dtype));
                    functions.put(kernel.symbol(dtype), f);
                }
            }
        }
    }

    /** Name, compute capability, memory, and the driver's CUDA version, asked of the driver once. */
    private Map<String, Object> query() {
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device);
        int[] driver = new int[1];
        JCudaDriver.cuDriverGetVersion(driver);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("index", index);
        p.put("name", new String(name, 0, length, StandardCharsets.US_ASCII));
        p.put("compute_capability", major[0] + "." + minor[0]);
        p.put("memory_mib", memory[0] >> 20);
        p.put("driver_cuda_version", driver[0] / 1000 + "." + driver[0] % 1000 / 10);
        p.put("nvidia_driver", nvidiaDriverVersion());
        p.put("jcuda", jcuda.JCudaVersion.get());
        return Map.copyOf(p);
    }

    /**
     * The kernel module's version from /proc/driver/nvidia/version, else /sys/module/nvidia/version (the driver API
     * only gives the CUDA version it supports); "unknown" elsewhere.
     */
    private static String nvidiaDriverVersion() {
        for (Path file : List.of(Path.of("/proc/driver/nvidia/version"), Path.of("/sys/module/nvidia/version"))) {
            try {
                String version = driverVersionIn(Files.readString(file));
                if (version != null) {
                    return version;
                }
            } catch (IOException | RuntimeException e) {
                // not there: try the next place
            }
        }
        return "unknown";
    }

    /**
     * The driver version in either file's text, null if none: the proprietary module's "... Kernel Module  535.104.05
     * ...", the open one's "... Open Kernel Module for x86_64  580.159.04 ..." (the first dotted number after
     * "Kernel Module"), or sysfs's bare "580.159.04".
     */
    static String driverVersionIn(String text) {
        Matcher m = Pattern.compile("(?:Kernel Module.*?\\s|^\\s*)([0-9]+\\.[0-9][0-9.]*)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** cuMemAlloc and cuMemFree on this context. */
    private final class DriverAllocator implements DevicePool.Allocator {
        @Override
        public CUdeviceptr allocate(long bytes) {
            CUdeviceptr p = new CUdeviceptr();
            try {
                JCudaDriver.cuMemAlloc(p, bytes);
                return p;
            } catch (CudaException e) {
                // JCuda's exception message is the CUresult name.
                if (CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY).equals(e.getMessage())) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public void free(CUdeviceptr block) {
            JCudaDriver.cuMemFree(block);
        }

        @Override
        public void synchronize() {
            JCudaDriver.cuStreamSynchronize(stream);
        }
    }
}
