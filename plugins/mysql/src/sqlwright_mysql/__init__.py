"""The mysql dialect plugin for sqlwright."""
