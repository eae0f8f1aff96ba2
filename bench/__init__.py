"""Benchmarks, run by `make bench` (`python -m bench`). Results are written into BENCHMARKS.md."""
