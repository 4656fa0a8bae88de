#!/usr/bin/env python3
"""Per-sample SGD in PyTorch and in numpy: the Python loops that vmlp's training step is compared with.

    python3 jmh/scripts/python-peers.py DIR [--hidden 256] [--samples 20000] [--warmup 2000] [--peers pytorch,numpy]

DIR holds MNIST-format files (train-images-idx3-ubyte and train-labels-idx1-ubyte, plain or .gz), such as
those `java -cp jmh/target/vmlp-jmh-*-benchmarks.jar dev.vmlp.jmh.MnistLike DIR` writes. Each peer trains
a 784-H-10 network (ReLU, softmax log loss, learning rate 0.01, pixels scaled by 1/255) one sample at a
time, as `vmlp train` does: a forward pass, the gradient and an update per sample. After --warmup steps,
it times --samples steps and prints one JSON object per line:

    {"peer": "pytorch", "version": "1.13.0a0", "threads": 1, "hidden": 256, "samples": 20000,
     "seconds": 1.9, "samples_per_sec": 10500.0, "mean_loss": 0.31}

PyTorch runs nn.Sequential(Linear, ReLU, Linear) with torch.optim.SGD and cross_entropy on one thread
(torch.set_num_threads(1)). numpy runs the same algorithm written out: W @ x products, a stable softmax,
the transposed product and np.outer updates; its BLAS takes its threads from OPENBLAS_NUM_THREADS (set
it to 1 for one core). A peer whose module is missing is reported as {"peer": ..., "missing": "..."}.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time


def read_idx(path):
    """The dimensions and the bytes of an IDX file of unsigned bytes, plain or gzip."""
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rb") as f:
                data = f.read()
            break
    else:
        sys.exit("python-peers.py: no " + path + " (or .gz)")
    if data[0] != 0 or data[1] != 0 or data[2] != 8:
        sys.exit("python-peers.py: " + path + " is not an IDX file of unsigned bytes")
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def load(folder):
    import numpy as np
    dims, pixels = read_idx(os.path.join(folder, "train-images-idx3-ubyte"))
    _, labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte"))
    x = np.frombuffer(pixels, dtype=np.uint8).reshape(dims[0], dims[1] * dims[2]).astype(np.float32) / 255
    y = np.frombuffer(labels, dtype=np.uint8).astype(np.int64)
    return x, y


def pytorch(x, y, hidden, warmup, samples):
    import torch
    from torch import nn
    torch.set_num_threads(1)
    torch.manual_seed(42)
    net = nn.Sequential(nn.Linear(x.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, 10))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    xs = torch.from_numpy(x)
    ys = torch.from_numpy(y)

    def step(i):
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(net(xs[i:i + 1]), ys[i:i + 1])
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, len(y), warmup, samples), torch.__version__, torch.get_num_threads()


def numpy_loop(x, y, hidden, warmup, samples):
    import numpy as np
    rng = np.random.default_rng(42)
    inputs = x.shape[1]
    w1 = (rng.uniform(-1, 1, (hidden, inputs)) / np.sqrt(inputs)).astype(np.float32)
    b1 = np.zeros(hidden, dtype=np.float32)
    w2 = (rng.uniform(-1, 1, (10, hidden)) / np.sqrt(hidden)).astype(np.float32)
    b2 = np.zeros(10, dtype=np.float32)
    lr = np.float32(0.01)

    def step(i):
        nonlocal w1, b1, w2, b2
        xi = x[i]
        z1 = w1 @ xi + b1
        o1 = np.maximum(z1, 0)
        z2 = w2 @ o1 + b2
        m = z2.max()
        e = np.exp(z2 - m)
        total = e.sum()
        s2 = e / total
        loss = float(m - z2[y[i]] + np.log(total))
        s2[y[i]] -= 1
        s1 = (w2.T @ s2) * (z1 > 0)
        w2 -= lr * np.outer(s2, o1)
        b2 -= lr * s2
        w1 -= lr * np.outer(s1, xi)
        b1 -= lr * s1
        return loss

    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    threads = int(threads) if threads.isdigit() else threads
    return timed(step, len(y), warmup, samples), np.__version__, threads


def timed(step, n, warmup, samples):
    for i in range(warmup):
        step(i % n)
    loss = 0.0
    start = time.perf_counter()
    for i in range(warmup, warmup + samples):
        loss += step(i % n)
    seconds = time.perf_counter() - start
    return seconds, loss / samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=2000)
    parser.add_argument("--peers", default="pytorch,numpy")
    args = parser.parse_args()
    if args.hidden < 1 or args.samples < 1 or args.warmup < 0:
        sys.exit("python-peers.py: --hidden and --samples must be positive, --warmup not negative")
    runs = {"pytorch": pytorch, "numpy": numpy_loop}
    for name in args.peers.split(","):
        if name not in runs:
            sys.exit("python-peers.py: unknown peer '" + name + "' (pytorch, numpy)")
    try:
        x, y = load(args.dir)
    except ImportError as e:  # numpy: both peers need it
        for name in args.peers.split(","):
            print(json.dumps({"peer": name, "missing": str(e)}), flush=True)
        return
    if len(y) == 0 or len(y) != len(x) or y.max() > 9:
        sys.exit("python-peers.py: " + args.dir + " holds " + str(len(x)) + " images and " + str(len(y))
                 + " labels of 0-9; the peers need at least one of each, as many of both")
    for name in args.peers.split(","):
        try:
            (seconds, mean_loss), version, threads = runs[name](x, y, args.hidden, args.warmup, args.samples)
        except ImportError as e:
            print(json.dumps({"peer": name, "missing": str(e)}), flush=True)
            continue
        print(json.dumps({"peer": name, "version": version, "threads": threads, "hidden": args.hidden,
                          "samples": args.samples, "seconds": seconds,
                          "samples_per_sec": args.samples / seconds, "mean_loss": mean_loss}), flush=True)


if __name__ == "__main__":
    main()
