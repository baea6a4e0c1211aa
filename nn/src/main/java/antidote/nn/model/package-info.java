/**
 * The two models the defenses are evaluated on, with PyTorch-compatible state-dict names so checkpoints
 * move between Antidote and PyTorch without renaming.
 *
 * <p><b>{@link antidote.nn.model.SmallVgg}</b> (I-BAU's {@code VGG('small_VGG16')}, paper Table 9):
 * <pre>
 * features.{0,3,8,11,16,19}.weight, .bias           Conv2d 3x3, padding 1 (channels 32,32,64,64,128,128)
 * features.{1,4,9,12,17,20}.weight, .bias,          BatchNorm2d
 *     .running_mean, .running_var, .num_batches_tracked
 * features.{2,5,10,13,18,21}                        ELU (no state)
 * features.{6,14,22}                                MaxPool2d 2x2 (no state)
 * features.{7,15,23}                                Dropout 0.3, 0.4, 0.4 (no state)
 * classifier.weight [C, 128·(H/8)·(W/8)], classifier.bias [C]
 * </pre>
 *
 * <p><b>{@link antidote.nn.model.PreActResNet18}</b> (BackdoorBench's {@code models/preact_resnet.py}; checked
 * against its two versions, with {@code AvgPool2d(4)} and with {@code AdaptiveAvgPool2d((1,1))}, which agree on
 * 32x32 inputs: there is no batch norm after {@code layer4}, the last block's output goes straight to the pooling):
 * <pre>
 * conv1.weight [64, in, 3, 3]
 * layer{1..4}.{0,1}.bn1.{weight,bias,running_mean,running_var,num_batches_tracked}
 * layer{1..4}.{0,1}.conv1.weight
 * layer{1..4}.{0,1}.bn2.{weight,bias,running_mean,running_var,num_batches_tracked}
 * layer{1..4}.{0,1}.conv2.weight
 * layer{2,3,4}.0.shortcut.0.weight                  1x1 conv, stride 2
 * linear.weight [C, 512], linear.bias [C]
 * </pre>
 * tools/golden/make_golden.py writes the PyTorch definition's keys, dtypes and shapes to
 * {@code torch_preactresnet18_keys.json}, which the tests compare with this model's.
 */
package antidote.nn.model;
