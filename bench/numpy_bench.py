"""The reference side of bench/run: numpy's idiomatic BN expression and CPython's loop.

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


print(f"numpy expression [64,64,64,64]\t{median(7, lambda: bn_expression(x, (0, 2, 3)))}\t7")
print(f"CPython loop 1e6\t{median(5, loop)}\t5")
print(f"numpy expression [32,16] per call\t{median(7, small_calls) / 1000}\t7")
