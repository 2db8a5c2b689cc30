"""sqlwright.orm."""
