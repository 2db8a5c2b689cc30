"""DBAPI drivers for SQLite."""
