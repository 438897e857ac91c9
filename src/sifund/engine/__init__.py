"""Evaluation engine: pure functions from a Dataset to metrics, scores, risks and findings (no I/O)."""
