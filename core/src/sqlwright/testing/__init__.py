"""sqlwright.testing."""
