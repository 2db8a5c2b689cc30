"""sqlwright.sql."""
