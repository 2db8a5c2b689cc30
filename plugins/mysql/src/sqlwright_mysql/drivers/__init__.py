"""DBAPI drivers for MySQL and MariaDB."""
