"""The mssql dialect plugin for sqlwright."""
