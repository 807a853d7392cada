"""Benchmarks (`make bench`): figures for docs/performance.md, never part of `make test`."""
