"""A stand-in area script without `measure` yet: bench/run shows its rows as not built."""
