"""Benchmarks and the synthetic dossier generator (run from the repository root: python -m bench.run_all)."""
