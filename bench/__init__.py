"""Benchmarks and the dataset generator they share."""
