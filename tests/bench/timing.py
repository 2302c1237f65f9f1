"""Timing helpers shared by the benchmarks: wall-clock samples in milliseconds and their percentiles."""

import gc
import math
import time
from collections.abc import Callable, Sequence


def measure(fn: Callable[[], object], n: int, warmup: int = 10) -> list[float]:
    """Call `fn` `warmup` times untimed (template compilation, caches, pool), then return `n` timings in ms.

    Timed as a production worker runs: what is alive after the warm-up is frozen out of garbage
    collection, as `portal.wsgi` does after start-up (without it, full collections add about
    50 ms to a few samples here, which a worker does not pay).
    """
    for _ in range(warmup):
        fn()
    gc.collect()
    gc.freeze()
    try:
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        gc.unfreeze()
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
