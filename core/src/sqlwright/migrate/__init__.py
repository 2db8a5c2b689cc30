"""sqlwright.migrate."""
