"""DBAPI drivers for SQL Server."""
