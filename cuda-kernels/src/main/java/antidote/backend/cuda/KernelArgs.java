package antidote.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The parameter list of one kernel launch, in the order of the kernel's signature. Structs passed by value
 * (Layout, ConvShape) are int arrays with the struct's field order: all their fields are ints, so the bytes
 * match the C layout exactly.
 */
final class KernelArgs {
    private final List<Pointer> args = new ArrayList<>();
    /** The arguments as given: CUdeviceptr, Integer, Double or int[] (a struct); for error messages and tests. */
    private final List<Object> values = new ArrayList<>();
    /** The PTX parameter type of each argument (u64, u32, f64, b8[bytes]), which tests compare with the PTX. */
    private final List<String> signature = new ArrayList<>();
    /**
     * The buffers passed, held so that none becomes unreachable (and is recycled by the Cleaner) between
     * reading its address and queueing the kernel; see {@link CudaContext#launch}.
     */
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    KernelArgs buffer(DeviceBuffer buffer) {
        buffers.add(buffer);
        return pointer(buffer.pointer());
    }

    KernelArgs pointer(CUdeviceptr pointer) {
        return add(Pointer.to(pointer), pointer, "u64");
    }

    KernelArgs i(int value) {
        return add(Pointer.to(new int[]{value}), value, "u32");
    }

    KernelArgs d(double value) {
        return add(Pointer.to(new double[]{value}), value, "f64");
    }

    KernelArgs struct(int[] fields) {
        return add(Pointer.to(fields), fields.clone(), "b8[" + fields.length * Integer.BYTES + "]");
    }

    private KernelArgs add(Pointer argument, Object value, String type) {
        args.add(argument);
        values.add(value);
        signature.add(type);
        return this;
    }

    List<Object> values() {
        return List.copyOf(values);
    }

    List<String> signature() {
        return List.copyOf(signature);
    }

    Pointer toPointer() {
        return Pointer.to(args.toArray(new Pointer[0]));
    }

    @Override
    public String toString() {
        return values.stream().map(v -> v instanceof int[] fields ? Arrays.toString(fields) : String.valueOf(v))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
