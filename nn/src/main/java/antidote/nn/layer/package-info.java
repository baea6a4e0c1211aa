/**
 * Layers with PyTorch's semantics, default initialisation and state-dict names: {@link Conv2d},
 * {@link Linear} ({@code weight}, {@code bias}), {@link BatchNorm2d} ({@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var}, {@code num_batches_tracked}), and the parameter-free
 * {@link Elu}, {@link Relu}, {@link MaxPool2d}, {@link AvgPool2d}, {@link AdaptiveAvgPool2d},
 * {@link Dropout}, {@link Flatten}.
 *
 * <p>Randomness is explicit: layers that draw numbers (initial weights, dropout masks) take a
 * {@link java.util.random.RandomGenerator} at construction, so a seed reproduces a run. The values
 * follow PyTorch's distributions, not its random stream.
 */
package antidote.nn.layer;
