"""The postgresql dialect plugin for sqlwright."""
