/**
 * The CPU backend: float32 and float64 kernels on Java arrays, run on a fixed worker pool with work
 * partitioned by output element so that results do not depend on thread scheduling.
 */
package antidote.backend.cpu;
