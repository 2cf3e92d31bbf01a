#!/usr/bin/env python3
"""The PyTorch side of benchmarks/compare's job5: the whole job of

    ./jgrad train --dataset fashion-mnist --epochs 5 --threads 1 --seed 1

as a PyTorch user writes it, `import torch` included: read the IDX files, train the 784-128-10 ReLU
MLP with SGD (lr 0.1, no momentum, batch 64, shuffled), evaluate the test set after every epoch,
and print jgrad's lines (`training ...` before the first step, one `epoch ...` line per epoch with
its training-loop seconds, `final test accuracy: ...`). benchmarks/compare times the process.

Usage: torch_job5.py [FASHION_MNIST_DIR] [EPOCHS] [THREADS]
"""
import sys
import time

import torch
import torch.nn.functional as F

from torch_workloads import load  # the IDX reader of the other workloads: [N, 784] floats in [0, 1]


def evaluate(model, x, y):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], 1000):
            logits = model(x[i:i + 1000])
            loss += F.cross_entropy(logits, y[i:i + 1000], reduction="sum").item()
            correct += (logits.argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return loss / x.shape[0], correct / x.shape[0]


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    xtr, ytr = load(directory, "train")
    xte, yte = load(directory, "t10k")
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(1)
    print("training 784-128-10 relu on fashion-mnist (%d train, %d test examples), sgd lr 0.1, batch 64,"
          " %d epochs, seed 1" % (xtr.shape[0], xte.shape[0], epochs), flush=True)
    for epoch in range(1, epochs + 1):
        perm = torch.randperm(xtr.shape[0], generator=gen)
        start = time.perf_counter()
        loss_sum = 0.0
        for i in range(0, xtr.shape[0], 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * idx.shape[0]
        seconds = time.perf_counter() - start
        test_loss, accuracy = evaluate(model, xte, yte)
        print("epoch %3d/%d  train loss %.4f  test loss %.4f  test accuracy %.4f  %.3f s"
              % (epoch, epochs, loss_sum / xtr.shape[0], test_loss, accuracy, seconds), flush=True)
    print("final test accuracy: %.4f" % accuracy, flush=True)


if __name__ == "__main__":
    main()
