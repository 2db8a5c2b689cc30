"""The oracle dialect plugin for sqlwright."""
