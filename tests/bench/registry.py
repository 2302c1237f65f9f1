"""A tiny registry, so each benchmark module adds one function decorated with `@benchmark("name")`.

A benchmark receives a `Run` and returns `Figure`s; the runner prints them, so every module
writes the same `BENCH <name>_<size suffix> <value> <unit>` line without formatting it itself.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from flask import Flask


class Figure(NamedTuple):
    """One reported number; `name` comes without the size suffix, which the runner appends."""

    name: str
    value: float
    unit: str
    decimals: int = 1  # scores between 0 and 1 need more than one


@dataclass(frozen=True)
class Run:
    """What a benchmark gets: the app (outside any app context, as a server would run it) and the corpus."""

    app: Flask
    size: int
    public_firms: int  # verified and not suspended: what the public pages count

    @property
    def suffix(self) -> str:
        return size_suffix(self.size)


Benchmark = Callable[[Run], Iterable[Figure]]
BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Register `fn` under `name`, the handle `--only` selects it by."""

    def register(fn: Benchmark) -> Benchmark:
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} is registered twice")
        BENCHMARKS[name] = fn
        return fn

    return register


def size_suffix(size: int) -> str:
    """10000 -> "10k", 100000 -> "100k"; other sizes stay as they are, e.g. "2500"."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def bench_line(figure: Figure, size: int) -> str:
    return f"BENCH {figure.name}_{size_suffix(size)} {figure.value:.{figure.decimals}f} {figure.unit}"
