"""Benchmarks with budgets (not timed tests): python -m bench.run [--quick]."""
