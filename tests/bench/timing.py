"""Timing helpers shared by the benchmarks: wall-clock samples in milliseconds and their percentiles."""

import math
import time
from collections.abc import Callable, Sequence


def measure(fn: Callable[[], object], n: int, warmup: int = 10) -> list[float]:
    """Call `fn` `warmup` times untimed (template compilation, caches, pool), then return `n` timings in ms."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: Sequence[float], p: float) -> float:
    """The `p`-th percentile (0-100), interpolating linearly between ranks like numpy's default."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
