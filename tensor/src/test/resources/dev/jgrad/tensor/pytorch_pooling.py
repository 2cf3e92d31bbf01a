"""Writes pytorch-pooling.txt, the PyTorch side of PoolingPyTorchTest.

Run with a Python that has torch (1.13 here): python3 pytorch_pooling.py > pytorch-pooling.txt
Each line: kind N C H W kH kW sH sW pH pW dH dW ceil countIncludePad | x | y | indices | g | x.grad
(for adaptive pooling kH, kW are the output size). Values are multiples of 1/8, so windows often
hold equal maxima and the tie rule is checked too. Windows holding only padding are skipped:
PyTorch returns -inf there with an index outside the plane, where jgrad raises an error.
"""
import random

import torch
import torch.nn.functional as F

random.seed(11)
torch.manual_seed(11)


def fmt(t):
    return " ".join(repr(float(v)) for v in t.flatten().tolist())


n = 0
while n < 90:
    N, C = random.randint(1, 2), random.randint(1, 2)
    H, W = random.randint(1, 10), random.randint(1, 10)
    kh, kw = random.randint(1, 4), random.randint(1, 4)
    sh, sw = random.randint(1, 3), random.randint(1, 3)
    ph, pw = random.randint(0, kh // 2), random.randint(0, kw // 2)
    dh, dw = random.choice([1, 1, 2, 3]), random.choice([1, 1, 2, 3])
    ceil = random.random() < 0.5
    cip = random.random() < 0.5
    kind = ["max", "avg", "adaptive"][n % 3]
    x = (torch.randint(-24, 24, (N, C, H, W)).double() / 8).requires_grad_(True)
    try:
        if kind == "max":
            y, i = F.max_pool2d(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil, True)
            indices = fmt(i)
        elif kind == "avg":
            dh = dw = 1
            y = F.avg_pool2d(x, (kh, kw), (sh, sw), (ph, pw), ceil, cip)
            indices = ""
        else:
            kh, kw = random.randint(1, 7), random.randint(1, 7)
            y = F.adaptive_avg_pool2d(x, (kh, kw))
            indices = ""
    except RuntimeError:
        continue  # a kernel that does not fit: PyTorch refuses it too
    if y.numel() == 0 or torch.isinf(y).any():
        continue
    g = torch.randint(-24, 24, y.shape).double() / 8
    y.backward(g)
    print(
        f"{kind} {N} {C} {H} {W} {kh} {kw} {sh} {sw} {ph} {pw} {dh} {dw} {int(ceil)} {int(cip)}"
        f"|{fmt(x.detach())}|{fmt(y.detach())}|{indices}|{fmt(g)}|{fmt(x.grad)}"
    )
    n += 1
