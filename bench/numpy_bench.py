"""The reference side of bench/run: numpy's idiomatic BN expression over the issue's shape and a
size sweep, CPython's calls and loop, numpy in a Python loop, one training step of the reference
MLP with a hand-written backward and Adam, and matrix products.

Usage: python3 bench/numpy_bench.py [ROUNDS]   (default 4)

Prints `name<TAB>seconds<TAB>seconds…`, one time per round, as bnlab-bench does; rounds
interleave the workloads the same way.
"""
import sys
import time

import numpy as np


class Workload:
    """`body` does `repetitions` units of work; a sample is the time per unit."""

    def __init__(self, name, body, repetitions=1):
        self.name, self.body, self.repetitions = name, body, repetitions

    def sample(self):
        start = time.perf_counter()
        self.body()
        return (time.perf_counter() - start) / self.repetitions


def repeated(times, body):
    def run():
        for _ in range(times):
            body()
    return run


def bn_expression(x, axes):
    return (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + 1e-5)


workloads = []
x = np.random.default_rng(0).standard_normal((64, 64, 64, 64))
workloads.append(Workload("numpy expression [64,64,64,64]", lambda: bn_expression(x, (0, 2, 3))))


def sweep_shape(k):
    """bnlab-bench's sweep shape for 2^k elements: [8, 16, h, w] with h·w = 2^(k−7)."""
    return (8, 16, 1 << ((k - 7) // 2), 1 << ((k - 6) // 2))


for k in range(9, 26):
    data = np.random.default_rng(k).standard_normal(sweep_shape(k))
    times = max(1, (1 << 20) >> k)
    workloads.append(Workload(f"numpy expression 2^{k}", repeated(times, lambda d=data: bn_expression(d, (0, 2, 3))), times))


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def f(a):
    return a * 2 + 1


def calls():
    s = 0
    for i in range(1000000):
        s = f(i)
    return s


v16 = np.random.default_rng(16).standard_normal(16)


def small_loop():
    for _ in range(100000):
        y = v16 * 2 + 1
    return y


def loop():
    s = 0
    for i in range(1000000):
        s = s + i
    return s


small = np.random.default_rng(1).standard_normal((32, 16))
workloads += [
    Workload("CPython fib(25)", lambda: fib(25)),
    Workload("CPython f(a) = a * 2 + 1, 1e6 calls", calls),
    Workload("numpy y = x * 2 + 1 on [16], 1e5 times", small_loop),
    Workload("CPython loop 1e6", loop),
    Workload("numpy expression [32,16] per call", repeated(1000, lambda: bn_expression(small, 0)), 1000),
]


class MLP:
    """64-100-100-100-10, Linear -> BatchNorm (training mode) -> ReLU three times, then Linear;
    cross entropy; Adam (lr 0.001): PyTorch's semantics written by hand."""

    sizes = [64, 100, 100, 100, 10]

    def __init__(self, rng):
        self.params = []
        for i, o in zip(self.sizes[:-1], self.sizes[1:]):
            bound = 1 / np.sqrt(i)
            self.params += [rng.uniform(-bound, bound, (o, i)), np.zeros(o)]
            if o != 10:
                self.params += [np.ones(o), np.zeros(o)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, x, y):
        p, n = self.params, len(y)
        caches, h = [], x
        for layer in range(3):
            w, b, g, be = p[4 * layer : 4 * layer + 4]
            z = h @ w.T + b
            mu = z.mean(axis=0)
            invstd = 1 / np.sqrt(z.var(axis=0) + 1e-5)
            xhat = (z - mu) * invstd
            out = g * xhat + be
            caches.append((h, xhat, invstd, out))
            h = np.maximum(out, 0)
        logits = h @ p[12].T + p[13]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = (np.log(s[:, 0]) - shifted[np.arange(n), y]).mean()
        d = e / s
        d[np.arange(n), y] -= 1
        d /= n
        grads = [None] * len(p)
        grads[12], grads[13] = d.T @ h, d.sum(axis=0)
        dh = d @ p[12]
        for layer in (2, 1, 0):
            h_in, xhat, invstd, out = caches[layer]
            dy = dh * (out > 0)
            g = p[4 * layer + 2]
            grads[4 * layer + 2] = (dy * xhat).sum(axis=0)
            grads[4 * layer + 3] = dy.sum(axis=0)
            dx = dy * g
            dz = invstd / n * (n * dx - dx.sum(axis=0) - xhat * (dx * xhat).sum(axis=0))
            grads[4 * layer], grads[4 * layer + 1] = dz.T @ h_in, dz.sum(axis=0)
            dh = dz @ p[4 * layer]
        self.t += 1
        for i, gr in enumerate(grads):
            self.m[i] = 0.9 * self.m[i] + 0.1 * gr
            self.v[i] = 0.999 * self.v[i] + 0.001 * gr * gr
            mhat = self.m[i] / (1 - 0.9**self.t)
            vhat = self.v[i] / (1 - 0.999**self.t)
            p[i] -= 0.001 * mhat / (np.sqrt(vhat) + 1e-8)
        return loss


rng = np.random.default_rng(0)
mlp, xb, yb = MLP(rng), rng.standard_normal((60, 64)), rng.integers(0, 10, 60)
workloads.append(Workload("numpy training step MLP batch 60", repeated(20, lambda: mlp.step(xb, yb)), 20))

ra, rb = np.random.default_rng(2).standard_normal((60, 100)), np.random.default_rng(3).standard_normal((100, 100))
at, g = np.random.default_rng(4).standard_normal((60, 100)).T, np.random.default_rng(5).standard_normal((60, 100))
big_l, big_r = np.random.default_rng(6).standard_normal((512, 512)), np.random.default_rng(7).standard_normal((512, 512))
workloads += [
    Workload("numpy matmul [60,100]@[100,100]", repeated(200, lambda: ra @ rb), 200),
    Workload("numpy matmul [100,60]ᵀview@[60,100]", repeated(200, lambda: at @ g), 200),
    Workload("numpy matmul [512,512]@[512,512]", lambda: big_l @ big_r),
]

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 4
for w in workloads:  # warm-up
    w.sample()
samples = {w.name: [] for w in workloads}
for _ in range(rounds):
    for w in workloads:
        samples[w.name].append(w.sample())
for w in workloads:
    print("\t".join([w.name] + [repr(t) for t in samples[w.name]]))
