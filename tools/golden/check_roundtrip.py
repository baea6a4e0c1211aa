#!/usr/bin/python3
"""Checks that PyTorch loads what Antidote saves in a PyTorch file's layout (issue 16's golden round trip).

Run from the repository root, after the Java side has written its files to nn/target/roundtrip:

    mvn -q -B -ntp -o test -pl nn -am -Dtest=PyTorchCheckpointTest -Dsurefire.failIfNoSpecifiedTests=false \\
        -Dantidote.roundtrip=true
    /usr/bin/python3 tools/golden/check_roundtrip.py

1. SmallVgg: Antidote loaded nn/src/test/resources/golden/torch_smallvgg_3x32x32_f16.safetensors (float16,
   keys prefixed 'module.' by DataParallel, no metadata) and saved it back with the input's layout. Here the
   result must have the input's keys, dtypes and shapes, plus Antidote's metadata, load with
   load_state_dict(strict=True) into DataParallel(SmallVgg(3, 32, 32, 43)), and give PyTorch's original logits.
2. PreActResNet18: Antidote filled its model with make_golden.py's pattern and saved it (float32, the keys of
   BackdoorBench's models/preact_resnet.py) with its logits on an input. Here it must load strictly into the
   PyTorch definition, hold the pattern weights, and give Antidote's logits.
Exits with status 1 and a message on the first failure.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import PreActResNet18, SmallVgg, fill, load  # noqa: E402

GOLDEN = 'nn/src/test/resources/golden'
OUT = 'nn/target/roundtrip'


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


def check_close(what, expected, actual, tolerance):
    diff = (expected.double() - actual.double()).abs().max().item()
    scale = expected.double().abs().max().item()
    if not diff <= tolerance * max(scale, 1.0):
        fail('%s: max difference %.3g for logits up to %.3g' % (what, diff, scale))
    print('ok   %s: max difference %.3g (logits up to %.3g)' % (what, diff, scale))


def check_smallvgg():
    original, _ = load(os.path.join(GOLDEN, 'torch_smallvgg_3x32x32_f16.safetensors'))
    saved, metadata = load(os.path.join(OUT, 'smallvgg_3x32x32_f16_resaved.safetensors'))
    layout = [(k, t.dtype, tuple(t.shape)) for k, t in original.items()]
    if layout != [(k, t.dtype, tuple(t.shape)) for k, t in saved.items()]:
        fail('the saved SmallVgg does not have the input\'s keys, dtypes and shapes in order')
    if metadata.get('model') != 'small-vgg' or 'antidote_version' not in metadata:
        fail('the saved SmallVgg lacks Antidote\'s metadata: %s' % metadata)
    print('ok   SmallVgg: %d keys with the input\'s names, dtypes (%s) and shapes; metadata %s'
          % (len(saved), sorted({str(t.dtype) for t in saved.values()}), sorted(metadata)))
    model = nn.DataParallel(SmallVgg(3, 32, 32, 43).float())
    print('ok   SmallVgg: load_state_dict(strict=True) into DataParallel: %s' % (model.load_state_dict(saved, strict=True),))
    io, _ = load(os.path.join(GOLDEN, 'torch_smallvgg_3x32x32_f16_io.safetensors'))
    model.eval()
    with torch.no_grad():
        y = model.module.double()(io['x'])
    check_close('SmallVgg logits of the resaved file vs PyTorch\'s of the input', io['y'], y, 1e-12)


def check_preact():
    saved, _ = load(os.path.join(OUT, 'preactresnet18_pattern.safetensors'))
    model = PreActResNet18(10).float()
    print('ok   PreActResNet18: load_state_dict(strict=True): %s' % (model.load_state_dict(saved, strict=True),))
    reference = PreActResNet18(10).float()
    fill(reference)
    for k, t in reference.state_dict().items():
        if not torch.equal(t, model.state_dict()[k]):
            fail('PreActResNet18 %s differs from the pattern weights' % k)
    io, _ = load(os.path.join(OUT, 'preactresnet18_pattern_io.safetensors'))
    model.eval()
    with torch.no_grad():
        y = model.double()(io['x'].double())
    check_close('PreActResNet18 logits, PyTorch (float64) vs Antidote (float32)', y, io['y'], 1e-4)


def main():
    torch.set_default_dtype(torch.float64)
    check_smallvgg()
    check_preact()
    print('round trip ok')


if __name__ == '__main__':
    main()
