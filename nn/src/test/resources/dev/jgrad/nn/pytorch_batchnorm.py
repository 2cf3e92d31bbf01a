"""Writes pytorch-batchnorm.txt, the PyTorch side of BatchNormPyTorchTest.

Run with a Python that has torch (1.13 here): python3 pytorch_batchnorm.py > pytorch-batchnorm.txt
A BatchNorm2d(3, eps=1e-3, momentum=0.2) in float64 with weight [1.5, 0.5, -1] and bias
[0.125, -0.25, 0.375] takes three training steps, then one evaluation step. Each line:
mode | x | y | running_mean | running_var | num_batches_tracked (x of shape [4, 3, 5, 6]).
"""
import torch

torch.manual_seed(5)


def fmt(t):
    return " ".join(repr(float(v)) for v in t.flatten().tolist())


bn = torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.2).double()
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, 0.5, -1.0], dtype=torch.float64))
    bn.bias.copy_(torch.tensor([0.125, -0.25, 0.375], dtype=torch.float64))
for step in range(4):
    if step == 3:
        bn.eval()
    x = torch.randint(-24, 24, (4, 3, 5, 6)).double() / 8 * (step + 1) + step
    y = bn(x).detach()
    mode = "train" if step < 3 else "eval"
    print(
        f"{mode}|{fmt(x)}|{fmt(y)}|{fmt(bn.running_mean)}|{fmt(bn.running_var)}"
        f"|{int(bn.num_batches_tracked)}"
    )
