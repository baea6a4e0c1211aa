#!/usr/bin/python3
"""Writes the PyTorch golden files that antidote's nn tests compare against.

Run from the repository root with Debian's PyTorch (python3-torch 1.13):

    /usr/bin/python3 tools/golden/make_golden.py [nn/src/test/resources/golden]

Every file is safetensors, written by hand below (struct + json; the `safetensors` package is not needed).
All golden values are float64 so that the Java side, also in float64, matches to ~1e-12; the tests allow 1e-5.

Layer files (`layer_<case>.safetensors`): `x`, `dy` (a random cotangent), `y = f(x)`, `dx` and
`grad.<param>` (gradients of sum(y * dy)), `param.<name>` (the state dict before the forward pass) and
`after.<buffer>` (buffers after it, for BatchNorm in training mode).

Model files (`model_<name>_<mode>.safetensors`): the weights are not stored (PreActResNet18 has 11M);
both sides fill the state dict from `pattern(k, n)`, an exact integer hash, where k is the entry's index
in the state dict. Stored: `x`, `dy`, `y`, `dx`, `after.<buffer>` (training mode), and per parameter `gradproj.<name>`
(the gradient's dot product with pattern(k + 1000, n)), `gradnorm.<name>` (its L2 norm) and, for
parameters of at most 1024 elements, the full `grad.<name>`. Dropout layers are put in eval mode
(their masks cannot be reproduced across frameworks); BatchNorm follows the file's mode.

`torch_smallvgg_1x28x28.safetensors` is the plain float32 state dict of a PyTorch SmallVgg after one
training-mode forward pass, as `safetensors.torch.save_file(model.state_dict())` would write it;
`torch_smallvgg_1x28x28_io.safetensors` holds an input and the eval-mode output of that model in float64.

`dtypes.safetensors`: float32 values `x` with PyTorch's `half`/`bf16` roundings (and widened back to F32), and an
I32 counter. `torch_smallvgg_3x32x32_f16` (+ `_io`) and `torch_preactresnet18_keys.json`: see torch_checkpoints.
tools/golden/check_roundtrip.py checks that PyTorch loads what Antidote saves back in such a file's layout.

`optim.safetensors`: per optimizer configuration `<cfg>.p0.<j>`, gradients `<cfg>.g<t>.<j>` and the
parameters after each step `<cfg>.p<t>.<j>`; `cosine.lr`, the learning rates of CosineAnnealingLR.
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float32: 'F32', torch.float64: 'F64',
          torch.int32: 'I32', torch.int64: 'I64'}
SMALL_GRAD = 1024


def save(path, tensors, metadata):
    """Writes a safetensors file as safetensors.torch.save_file does: u64 LE header length, JSON header padded
    with spaces (no __metadata__ when metadata is empty), raw LE data."""
    header = {'__metadata__': {k: str(v) for k, v in metadata.items()}} if metadata else {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        # numpy has no bfloat16: every dtype is written through a same-width integer view (LE machine).
        data = t.view(torch.int16).numpy().tobytes() if t.element_size() == 2 else t.numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(',', ':')).encode('utf-8')
    raw += b' ' * (-len(raw) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def load(path):
    """Reads a safetensors file as safetensors.torch.load_file does; returns (tensors in file order, metadata)."""
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop('__metadata__', {})
    codes = {code: dtype for dtype, code in DTYPES.items()}
    tensors = {}
    for name, e in header.items():
        begin, end = e['data_offsets']
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=codes[e['dtype']]) if end > begin \
            else torch.empty(0, dtype=codes[e['dtype']])
        tensors[name] = t.reshape(e['shape'])
    return tensors, metadata


def pattern(k, n):
    """Values in [-0.5, 0.5) from an integer hash of (k, i); the Java tests compute the same doubles."""
    i = torch.arange(n, dtype=torch.int64)
    h = (i * 2654435761 + (k * 40503 + 12345)) % 4294967296
    return h.to(torch.float64) / 4294967296.0 - 0.5


def fill(model):
    """Sets every float state-dict entry from pattern(k, n): weights of rank >= 2 uniform on +-1/sqrt(fan_in),
    BatchNorm weights and running variances in [0.75, 1.25), biases and running means in [-0.1, 0.1)."""
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            if name.endswith('num_batches_tracked'):
                continue
            u = pattern(k, t.numel()).reshape(t.shape)
            if t.dim() >= 2:
                t.copy_(u * (2.0 * (1.0 / math.sqrt(t.numel() // t.shape[0]))))
            elif name.endswith('running_var') or name.endswith('weight'):
                t.copy_(1.0 + 0.5 * u)
            else:
                t.copy_(0.2 * u)


# ---------------------------------------------------------------------------------------------- models

class SmallVgg(nn.Module):
    """I-BAU's VGG('small_VGG16') (models.py), with the input shape and classes as arguments."""

    def __init__(self, in_channels, height, width, classes):
        super().__init__()
        layers = []
        c = in_channels
        for ch, p in zip([32, 64, 128], [0.3, 0.4, 0.4]):
            for _ in range(2):
                layers += [nn.Conv2d(c, ch, kernel_size=3, padding=1), nn.BatchNorm2d(ch), nn.ELU()]
                c = ch
            layers += [nn.MaxPool2d(kernel_size=2, stride=2), nn.Dropout(p)]
            height //= 2
            width //= 2
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(c * height * width, classes)

    def forward(self, x):
        out = self.features(x)
        return self.classifier(out.view(out.size(0), -1))


class PreActBlock(nn.Module):
    """BackdoorBench models/preact_resnet.py."""

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    """BackdoorBench models/preact_resnet.py, PreActResNet18."""

    def __init__(self, classes=10):
        super().__init__()
        self.in_planes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        self.layer1 = self._make_layer(64, 1)
        self.layer2 = self._make_layer(128, 2)
        self.layer3 = self._make_layer(256, 2)
        self.layer4 = self._make_layer(512, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(512, classes)

    def _make_layer(self, planes, stride):
        layers = []
        for s in [stride, 1]:
            layers.append(PreActBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.layer4(self.layer3(self.layer2(self.layer1(self.conv1(x)))))
        return self.linear(self.avgpool(out).view(out.size(0), -1))


# ---------------------------------------------------------------------------------------------- cases

def run(module, x, train):
    """Forward and backward of sum(y * dy); returns x, dy, y, dx and the parameter gradients."""
    module.train(train)
    for m in module.modules():
        if isinstance(m, nn.Dropout):
            m.eval()
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = torch.randn(y.shape)
    params = dict(module.named_parameters())
    grads = torch.autograd.grad((y * dy).sum(), [x] + list(params.values()))
    return x, dy, y, grads[0], dict(zip(params.keys(), grads[1:]))


def buffers_after(module):
    return {'after.' + n: b.clone() for n, b in module.named_buffers()}


def layer_case(out, name, module, x_shape, train):
    before = {'param.' + n: t.clone() for n, t in module.state_dict().items()}
    x, dy, y, dx, grads = run(module, torch.randn(x_shape), train)
    tensors = {'x': x, 'dy': dy, 'y': y, 'dx': dx, **before}
    tensors.update({'grad.' + n: g for n, g in grads.items()})
    tensors.update(buffers_after(module))
    save(os.path.join(out, 'layer_%s.safetensors' % name), tensors,
         {'case': name, 'mode': 'train' if train else 'eval', 'torch': torch.__version__})


def randomize_batchnorm(bn):
    with torch.no_grad():
        bn.weight.copy_(1 + 0.3 * torch.randn(bn.weight.shape))
        bn.bias.copy_(0.3 * torch.randn(bn.bias.shape))
        bn.running_mean.copy_(0.5 * torch.randn(bn.running_mean.shape))
        bn.running_var.copy_(0.5 + torch.rand(bn.running_var.shape))
    return bn


def layer_cases(out):
    layer_case(out, 'conv2d_bias', nn.Conv2d(3, 4, 3, stride=1, padding=1, bias=True), (2, 3, 6, 6), True)
    layer_case(out, 'conv2d_stride2_nobias', nn.Conv2d(3, 5, 3, stride=2, padding=1, bias=False), (2, 3, 7, 7), True)
    layer_case(out, 'conv2d_1x1_stride2', nn.Conv2d(4, 6, 1, stride=2, padding=0, bias=False), (2, 4, 6, 6), True)
    layer_case(out, 'batchnorm2d_train', randomize_batchnorm(nn.BatchNorm2d(3)), (2, 3, 4, 5), True)
    layer_case(out, 'batchnorm2d_eval', randomize_batchnorm(nn.BatchNorm2d(3)), (2, 3, 4, 5), False)
    layer_case(out, 'elu', nn.ELU(), (2, 3, 4, 4), True)
    layer_case(out, 'relu', nn.ReLU(), (2, 3, 4, 4), True)
    layer_case(out, 'maxpool2d', nn.MaxPool2d(2), (2, 3, 7, 7), True)
    layer_case(out, 'maxpool2d_k3s2p1', nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 7), True)
    layer_case(out, 'avgpool2d', nn.AvgPool2d(2), (2, 3, 6, 6), True)
    layer_case(out, 'avgpool2d_k3s2p1', nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 7, 7), True)
    layer_case(out, 'adaptive_avgpool2d', nn.AdaptiveAvgPool2d((1, 1)), (2, 3, 5, 5), True)
    layer_case(out, 'dropout_eval', nn.Dropout(0.5), (2, 3, 4, 4), False)
    layer_case(out, 'flatten', nn.Flatten(), (2, 3, 4, 4), True)
    layer_case(out, 'linear', nn.Linear(12, 5), (2, 12), True)
    layer_case(out, 'linear_nobias', nn.Linear(12, 5, bias=False), (2, 12), True)


def model_case(out, name, model, x_shape, train):
    fill(model)
    keys = list(model.state_dict().keys())
    x, dy, y, dx, grads = run(model, torch.rand(x_shape), train)
    tensors = {'x': x, 'dy': dy, 'y': y, 'dx': dx}
    for n, g in grads.items():
        k = keys.index(n)
        tensors['gradproj.' + n] = (g.flatten() * pattern(k + 1000, g.numel())).sum()
        tensors['gradnorm.' + n] = g.norm()
        if g.numel() <= SMALL_GRAD:
            tensors['grad.' + n] = g
    if train:
        tensors.update(buffers_after(model))
    mode = 'train' if train else 'eval'
    save(os.path.join(out, 'model_%s_%s.safetensors' % (name, mode)), tensors,
         {'case': name, 'mode': mode, 'torch': torch.__version__})


def model_cases(out):
    for train in (True, False):
        model_case(out, 'smallvgg_3x32x32', SmallVgg(3, 32, 32, 10), (2, 3, 32, 32), train)
        model_case(out, 'smallvgg_1x28x28', SmallVgg(1, 28, 28, 10), (2, 1, 28, 28), train)
        model_case(out, 'preactresnet18_3x16x16', PreActResNet18(10), (2, 3, 16, 16), train)


def torch_state_dict(out):
    model = SmallVgg(1, 28, 28, 10).float()
    model.train()
    with torch.no_grad():
        model(torch.rand(8, 1, 28, 28, dtype=torch.float32))
    model.eval()
    save(os.path.join(out, 'torch_smallvgg_1x28x28.safetensors'), model.state_dict(), {'format': 'pt'})
    x = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        y = model.double()(x)
    save(os.path.join(out, 'torch_smallvgg_1x28x28_io.safetensors'), {'x': x, 'y': y},
         {'torch': torch.__version__})


F16_MAX_TIE = 65520.0  # rounds to infinity in F16 (Antidote refuses to write it); BF16 fits every float below 3.39e38


def dtype_cases(out):
    """float32 values with PyTorch's F16 and BF16 roundings (ties, subnormals, NaN, infinities, random)."""
    special = [0.0, -0.0, 1.0, -2.5, 65504.0, 65519.99, -65519.0, 6.103515625e-05, 6.0975552e-05, 5.9604645e-08,
               2.9802322e-08, 2.9802326e-08, 8.940697e-08, 1e-10, -1e-30, float('inf'), float('-inf'), float('nan'),
               1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -(1 + 5 * 2 ** -9), 3.3e38, 1.1754942e-38]
    x = torch.cat([torch.tensor(special, dtype=torch.float32), 10 * torch.randn(400, dtype=torch.float32),
                   1e-5 * torch.randn(200, dtype=torch.float32)])
    save(os.path.join(out, 'dtypes.safetensors'),
         {'x': x, 'half': x.half(), 'half_as_f32': x.half().float(), 'bf16': x.bfloat16(),
          'bf16_as_f32': x.bfloat16().float(), 'counter_i32': torch.tensor(7, dtype=torch.int32)},
         {'torch': torch.__version__})


def randomized_batchnorms(model):
    """Training-mode forward (counters move), then random affine weights and running statistics."""
    model.train()
    with torch.no_grad():
        model(torch.rand(4, *INPUTS[type(model)], dtype=next(model.parameters()).dtype))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            randomize_batchnorm(m)
    return model.eval()


def torch_checkpoints(out):
    """Checkpoints as users hold them: `torch_smallvgg_3x32x32_f16` is the plain state dict of a PyTorch SmallVgg
    with 43 classes, default init and random batch-norm statistics, saved from DataParallel (keys prefixed
    'module.') in float16 without metadata; `_io` holds an input and PyTorch's eval-mode logits of the weights as
    stored (float64). `torch_preactresnet18_keys.json` lists BackdoorBench's PreActResNet18 state-dict keys,
    dtypes and shapes in order (its weights, 45 MB in float32, are not stored: the model goldens use pattern)."""
    torch.manual_seed(20261203)
    model = randomized_batchnorms(SmallVgg(3, 32, 32, 43).float())
    state = {'module.' + k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    save(os.path.join(out, 'torch_smallvgg_3x32x32_f16.safetensors'), state, {})
    model.load_state_dict({k[len('module.'):]: v for k, v in state.items()}, strict=True)
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        y = model.double()(x)
    save(os.path.join(out, 'torch_smallvgg_3x32x32_f16_io.safetensors'), {'x': x, 'y': y},
         {'torch': torch.__version__})
    keys = [[k, DTYPES[v.dtype], list(v.shape)] for k, v in PreActResNet18(10).float().state_dict().items()]
    with open(os.path.join(out, 'torch_preactresnet18_keys.json'), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(k) for k in keys) + '\n]\n')


INPUTS = {SmallVgg: (3, 32, 32), PreActResNet18: (3, 32, 32)}


# ---------------------------------------------------------------------------------------------- optimizers

OPTIMIZERS = {
    'sgd': lambda p: torch.optim.SGD(p, lr=0.1),
    'sgd_momentum': lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    'sgd_nesterov': lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    'adam': lambda p: torch.optim.Adam(p, lr=0.01),
    'adam_decay': lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    'adam_amsgrad': lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01, amsgrad=True),
}
STEPS = 5
GRAD_SCALES = [1.0, 3.0, 0.5, 2.0, 0.1]


def optimizer_cases(out):
    tensors = {}
    for cfg, make in OPTIMIZERS.items():
        params = [torch.randn(2, 3).requires_grad_(True), torch.randn(4).requires_grad_(True)]
        for j, p in enumerate(params):
            tensors['%s.p0.%d' % (cfg, j)] = p.detach().clone()
        opt = make(params)
        for t in range(1, STEPS + 1):
            for j, p in enumerate(params):
                p.grad = GRAD_SCALES[t - 1] * torch.randn(p.shape)
                tensors['%s.g%d.%d' % (cfg, t, j)] = p.grad.clone()
            opt.step()
            for j, p in enumerate(params):
                tensors['%s.p%d.%d' % (cfg, t, j)] = p.detach().clone()
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)
    lrs = []
    for _ in range(12):
        opt.step()
        schedule.step()
        lrs.append(schedule.get_last_lr()[0])
    tensors['cosine.lr'] = torch.tensor(lrs, dtype=torch.float64)
    save(os.path.join(out, 'optim.safetensors'), tensors, {'torch': torch.__version__})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'nn/src/test/resources/golden'
    os.makedirs(out, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(20240611)
    layer_cases(out)
    model_cases(out)
    torch_state_dict(out)
    optimizer_cases(out)
    dtype_cases(out)
    torch_checkpoints(out)
    total = 0
    for f in sorted(os.listdir(out)):
        size = os.path.getsize(os.path.join(out, f))
        total += size
        print('%8d  %s' % (size, f))
    print('%8d  total bytes' % total)


if __name__ == '__main__':
    main()
