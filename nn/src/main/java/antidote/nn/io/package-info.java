/**
 * Checkpoints in the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, padded with spaces), then the raw little-endian tensor data, offsets
 * counted from the end of the header. F16, BF16, F32, F64, I32 and I64 are read and written (16-bit floats
 * are rounded to nearest even, as PyTorch does).
 *
 * <p>Reading is defensive: the header length, the JSON, every dtype, shape and offset range are checked
 * against the file size before any tensor is allocated, and each error names the file, the tensor and the
 * fix ({@link SafetensorsException}). Writing goes to a temporary file in the target directory that is
 * then renamed over the target, so a crash never leaves a half-written checkpoint.
 *
 * <p>{@link Checkpoint} saves and loads a {@link antidote.nn.Module}'s state dict under PyTorch's names
 * with a {@link ModelInfo} (model, classes, input shape, seed, Antidote version) in {@code __metadata__}. It
 * loads any PyTorch state dict (strict, like {@code load_state_dict(strict=True)}; a DataParallel
 * {@code module.} prefix stripped; floats converted; non-finite values and negative running variances
 * refused) and can save a model back in the file's own {@link StateLayout}.
 */
package antidote.nn.io;
