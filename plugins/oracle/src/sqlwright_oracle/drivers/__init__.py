"""DBAPI drivers for Oracle."""
