/**
 * In-memory image datasets and how they are fed to a model: {@link antidote.data.Dataset} (uint8 pixels,
 * N·C·H·W, plus labels), seeded {@link antidote.data.Splits}, the {@link antidote.data.Loader} (seeded
 * shuffling, batching, augmentation, background prefetch) that yields float32 NCHW
 * {@link antidote.data.Batch}es in [0, 1], and the {@link antidote.data.DatasetSummary} the CLI prints.
 *
 * <p>Randomness is always explicit: every random choice comes from a {@link java.util.SplittableRandom}
 * derived from a user seed, so the same seed gives the same batches whatever the prefetch timing.
 */
package antidote.data;
