package antidote.cli;

import antidote.pipeline.DeviceSelection;
import picocli.CommandLine.Option;

/** The {@code --device} option of every command that computes: a picocli mixin; call {@link #select} first. */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda:N|auto", description = "Where to compute: cpu, cuda, "
            + "cuda:N or auto (default: auto, i.e. CUDA when a usable GPU and driver are found, else the CPU; "
            + "-Dantidote.device or ANTIDOTE_DEVICE when set). The report records which and why.")
    String device;

    /** Makes the chosen device the process's default; fails with one line when a named GPU is not usable. */
    public void select() {
        DeviceSelection.select(device);
    }
}
