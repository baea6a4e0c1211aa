package antidote.nn.model;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * The pre-activation basic block (He et al., 2016, "Identity Mappings in Deep Residual Networks") as in
 * BackdoorBench: out = conv2(relu(bn2(conv1(a)))) + shortcut, with a = relu(bn1(x)); the shortcut is x, or
 * {@code shortcut.0}, a 1x1 convolution of a, when the stride or the width changes.
 */
public final class PreActBlock extends Module {
    private final BatchNorm2d bn1;
    private final Conv2d conv1;
    private final BatchNorm2d bn2;
    private final Conv2d conv2;
    private final Sequential shortcut;

    public PreActBlock(int inPlanes, int planes, int stride, RandomGenerator rng) {
        this.bn1 = registerModule("bn1", new BatchNorm2d(inPlanes));
        this.conv1 = registerModule("conv1", new Conv2d(inPlanes, planes, 3, stride, 1, false, rng));
        this.bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false, rng));
        this.shortcut = stride != 1 || inPlanes != planes
                ? registerModule("shortcut", new Sequential(new Conv2d(inPlanes, planes, 1, stride, 0, false, rng)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor a = bn1.forward(x).relu();
        Tensor skip = shortcut == null ? x : shortcut.forward(a);
        Tensor out = conv2.forward(bn2.forward(conv1.forward(a)).relu());
        return out.add(skip);
    }
}
