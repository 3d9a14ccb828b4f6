"""coopgraph benchmarks: measured here, never as timed assertions in tests/."""
