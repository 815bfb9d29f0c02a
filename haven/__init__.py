"""Haven: case management for refugee protection and private sponsorship."""
