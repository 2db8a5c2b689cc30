"""DBAPI drivers for PostgreSQL."""
