#!/usr/bin/env python3
"""The PyTorch side of benchmarks/compare: the same workloads as dev.jgrad.benchmarks.Workloads.

Usage: torch_workloads.py WORKLOAD THREADS [FASHION_MNIST_DIR]; prints one JSON line.
"""
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        raw = f.read()
    ndims = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


def load(directory, split, images=False):
    def find(base):
        for name in (base + ".gz", base):
            if os.path.exists(os.path.join(directory, name)):
                return os.path.join(directory, name)
        raise FileNotFoundError(base)
    shape = (-1, 1, 28, 28) if images else (-1, 784)
    x = read_idx(find(split + "-images-idx3-ubyte")).reshape(shape).astype(np.float32) / 255.0
    y = read_idx(find(split + "-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def mlp(batch, directory):
    real = os.path.isdir(directory)
    if real:
        xtr, ytr = load(directory, "train")
        xte, yte = load(directory, "t10k")
    else:
        g = torch.Generator().manual_seed(1)
        xtr, ytr = torch.rand(60000, 784, generator=g), torch.randint(0, 10, (60000,), generator=g)
        xte, yte = torch.rand(10000, 784, generator=g), torch.randint(0, 10, (10000,), generator=g)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(0)
    seconds = []
    for epoch in range(4):
        perm = torch.randperm(xtr.shape[0], generator=gen)
        start = time.perf_counter()
        for i in range(0, xtr.shape[0], batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        if epoch > 0:
            seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        accuracy = (model(xte).argmax(1) == yte).float().mean().item()
    return {"seconds": statistics.median(seconds), "unit": "s/epoch", "accuracy": accuracy, "real_data": real}


def tiny():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(2, 2, generator=g)
    w = torch.randn(2, 2, generator=g, requires_grad=True)
    b = torch.randn(2, generator=g, requires_grad=True)
    iterations = 20000
    times = []
    for rep in range(-10, 7):
        start = time.perf_counter()
        for _ in range(iterations):
            w.grad = None
            b.grad = None
            torch.relu(x @ w + b).sum().backward()
        if rep >= 0:
            times.append((time.perf_counter() - start) / iterations)
    return {"seconds": statistics.median(times), "unit": "s/iteration"}


def xor251():
    g = torch.Generator().manual_seed(0)
    points = torch.rand(100, 2, generator=g)
    labels = ((points > 0.5).sum(1, keepdim=True) == 1).float()
    times = []
    for rep in range(-10, 5):
        torch.manual_seed(1)
        net = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 1), torch.nn.Sigmoid())
        opt = torch.optim.SGD(net.parameters(), lr=0.5)
        start = time.perf_counter()
        for _ in range(1000):
            opt.zero_grad()
            F.binary_cross_entropy(net(points), labels).backward()
            opt.step()
        if rep >= 0:
            times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "unit": "s/1000 epochs"}


def sgemm(n):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    c = torch.empty(n, n)
    reps = 20 if n <= 1024 else 5
    times = []
    for rep in range(-3, reps):
        start = time.perf_counter()
        torch.mm(a, b, out=c)
        if rep >= 0:
            times.append(time.perf_counter() - start)
    s = statistics.median(times)
    return {"seconds": s, "unit": "s/product", "gflops": 2.0 * n ** 3 / s / 1e9}


def cnn_model(batch_norm):
    """The issue's cnn (batch_norm False) and cnnbn: the same as Workloads.cnnModel in jgrad."""
    def block(cin, cout):
        norm = [torch.nn.BatchNorm2d(cout)] if batch_norm else []
        return [torch.nn.Conv2d(cin, cout, 3, padding=1)] + norm + [torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
    dropout = [torch.nn.Dropout(0.25)] if batch_norm else []
    return torch.nn.Sequential(*block(1, 32), *block(32, 64), torch.nn.Flatten(), *dropout,
                               torch.nn.Linear(3136, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


# Multiply-adds of one 28x28 image through the cnn: conv1, conv2 (3x3 on 28x28 and 14x14), fc1, fc2.
CNN_MACS = 28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10
CONV1_MACS = 28 * 28 * 32 * 9


def cnn_step_flops(batch):
    """2 flops per multiply-add; backward is twice the forward (input and weight gradients), except
    that the first layer computes no input gradient (the images do not require grad)."""
    return 2.0 * batch * (3 * CNN_MACS - CONV1_MACS)


def cnn(batch_norm, directory, batch=64, warmup_seconds=3.0, steps=30):
    """One SGD step (lr 0.05, momentum 0.9) of the cnn at batch 64: seconds per step, median of
    `steps` after a warm-up, and the first step alone."""
    real = os.path.isdir(directory)
    if real:
        xtr, ytr = load(directory, "train", images=True)
    else:
        g = torch.Generator().manual_seed(1)
        xtr, ytr = torch.rand(60000, 1, 28, 28, generator=g), torch.randint(0, 10, (60000,), generator=g)
    torch.manual_seed(0)
    model = cnn_model(batch_norm)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    perm = torch.randperm(xtr.shape[0], generator=torch.Generator().manual_seed(0))
    batches = xtr.shape[0] // batch
    position = [0]

    def step():
        i = position[0] % batches
        position[0] += 1
        idx = perm[i * batch:(i + 1) * batch]
        start = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        return time.perf_counter() - start, loss.item()

    first, _ = step()
    warm = time.perf_counter()
    while time.perf_counter() - warm < warmup_seconds:
        step()
    times = []
    for _ in range(steps):
        seconds, loss = step()
        times.append(seconds)
    s = statistics.median(times)
    return {"seconds": s, "unit": "s/step", "first_step_seconds": first,
            "gflops": cnn_step_flops(batch) / s / 1e9, "loss": loss, "real_data": real}


GPT_TEXT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "examples", "src", "main", "resources", "dev", "jgrad", "examples", "tinyshakespeare.txt.gz")
GPT_VOCAB, GPT_BLOCK, GPT_LAYERS, GPT_HEADS, GPT_EMBD, GPT_BATCH = 65, 64, 4, 4, 128, 32


class Gpt(torch.nn.Module):
    """The GPT of ./jgrad example gpt (examples' Gpt, which Workloads times): token and position
    embeddings, pre-norm causal blocks (nn.TransformerEncoderLayer, GELU, feed-forward 4E, no
    dropout), final norm, head.
    PyTorch 1.13 has no is_causal: the causal mask is an additive [T, T] float mask (-inf above the
    diagonal), so each block computes softmax(q k^T / sqrt(d) + mask) v."""

    def __init__(self):
        super().__init__()
        self.tok_emb = torch.nn.Embedding(GPT_VOCAB, GPT_EMBD)
        self.pos_emb = torch.nn.Embedding(GPT_BLOCK, GPT_EMBD)
        self.blocks = torch.nn.Sequential(*[
            torch.nn.TransformerEncoderLayer(GPT_EMBD, GPT_HEADS, 4 * GPT_EMBD, 0.0, "gelu",
                                             batch_first=True, norm_first=True)
            for _ in range(GPT_LAYERS)])
        self.ln_f = torch.nn.LayerNorm(GPT_EMBD)
        self.head = torch.nn.Linear(GPT_EMBD, GPT_VOCAB, bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        x = self.tok_emb(ids) + self.pos_emb(torch.arange(t))
        for block in self.blocks:
            x = block(x, src_mask=mask)
        return self.head(self.ln_f(x))


def gpt_text():
    if not os.path.exists(GPT_TEXT):
        return torch.randint(0, GPT_VOCAB, (1 << 20,), generator=torch.Generator().manual_seed(1)), False
    with gzip.open(GPT_TEXT, "rt", encoding="utf-8") as f:
        text = f.read()
    alphabet = sorted(set(text))
    index = {c: i for i, c in enumerate(alphabet)}
    return torch.tensor([index[c] for c in text], dtype=torch.int64), True


def gpt(warmup_seconds=5.0, steps=20):
    """One AdamW step (lr 1e-3, betas 0.9, 0.99, weight decay 0.1 on parameters with dim >= 2) of
    the GPT at batch 32 x 64 characters after clipping the gradient norm to 1; the median of `steps`
    after a warm-up, and the first step alone."""
    text, real = gpt_text()
    torch.manual_seed(0)
    model = Gpt()
    params = list(model.parameters())
    opt = torch.optim.AdamW([{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
                             {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
    gen = torch.Generator().manual_seed(2)

    def step():
        starts = torch.randint(0, len(text) - GPT_BLOCK, (GPT_BATCH,), generator=gen)
        x = torch.stack([text[s:s + GPT_BLOCK] for s in starts])
        y = torch.stack([text[s + 1:s + 1 + GPT_BLOCK] for s in starts])
        start = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(model(x).reshape(-1, GPT_VOCAB), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return time.perf_counter() - start, loss.item()

    first, _ = step()
    warm = time.perf_counter()
    count = 0
    while count < 10 or time.perf_counter() - warm < warmup_seconds:
        step()
        count += 1
    times = []
    for _ in range(steps):
        seconds, loss = step()
        times.append(seconds)
    return {"seconds": statistics.median(times), "unit": "s/step", "first_step_seconds": first,
            "loss": loss, "real_data": real}


def main():
    workload, threads = sys.argv[1], int(sys.argv[2])
    directory = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(threads)
    runs = {
        "mlp64": lambda: mlp(64, directory),
        "mlp256": lambda: mlp(256, directory),
        "tiny": tiny,
        "xor251": xor251,
        "sgemm1024": lambda: sgemm(1024),
        "sgemm2048": lambda: sgemm(2048),
        "cnn": lambda: cnn(False, directory),
        "cnnbn": lambda: cnn(True, directory),
        "gpt": gpt,
    }
    result = {"framework": "pytorch " + torch.__version__, "workload": workload, "threads": threads}
    result.update(runs[workload]())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
