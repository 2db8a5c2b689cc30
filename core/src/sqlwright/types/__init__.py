"""sqlwright.types."""
