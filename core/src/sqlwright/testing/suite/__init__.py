"""sqlwright.testing.suite."""
