"""Benchmarks behind `make bench`: `python -m tests.bench [--size N]` prints `BENCH <name> <value> <unit>` lines."""
