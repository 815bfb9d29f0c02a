"""Finding the same person written many ways: Korean-aware keys, Splink linkage, review and merge."""
