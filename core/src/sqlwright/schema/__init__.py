"""sqlwright.schema."""
