"""The reference side of bench/run: numpy's idiomatic BN expression, CPython's loop, and one
training step of the reference MLP with a hand-written backward and Adam.

Prints `name<TAB>median seconds<TAB>runs`, the same names as the Swift side.
"""
import statistics
import time

import numpy as np


def median(runs, body):
    body()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bn_expression(x, axes):
    return (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + 1e-5)


def loop():
    s = 0
    for i in range(1000000):
        s = s + i
    return s


x = np.random.default_rng(0).standard_normal((64, 64, 64, 64))
small = np.random.default_rng(1).standard_normal((32, 16))


def small_calls():
    for _ in range(1000):
        bn_expression(small, 0)


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


def training_steps():
    for _ in range(20):
        mlp.step(xb, yb)


print(f"numpy expression [64,64,64,64]\t{median(7, lambda: bn_expression(x, (0, 2, 3)))}\t7")
print(f"CPython loop 1e6\t{median(5, loop)}\t5")
print(f"numpy expression [32,16] per call\t{median(7, small_calls) / 1000}\t7")
print(f"numpy training step MLP batch 60\t{median(9, training_steps) / 20}\t9")

ra, rb = np.random.default_rng(2).standard_normal((60, 100)), np.random.default_rng(3).standard_normal((100, 100))
at, g = np.random.default_rng(4).standard_normal((60, 100)).T, np.random.default_rng(5).standard_normal((60, 100))
big_l, big_r = np.random.default_rng(6).standard_normal((512, 512)), np.random.default_rng(7).standard_normal((512, 512))


def products(x, y, times):
    def body():
        for _ in range(times):
            x @ y
    return body


print(f"numpy matmul [60,100]@[100,100]\t{median(9, products(ra, rb, 200)) / 200}\t9")
print(f"numpy matmul [100,60]ᵀview@[60,100]\t{median(9, products(at, g, 200)) / 200}\t9")
print(f"numpy matmul [512,512]@[512,512]\t{median(7, products(big_l, big_r, 1))}\t7")
