"""The MySQL and MariaDB dialect plugin for sqlwright (PyMySQL).

Users reach it through ``create_engine("mysql+pymysql://...")``; this module is the place for
MySQL-only public constructs (such as the upsert ``insert``) as they are added.
"""

from __future__ import annotations

__all__: list[str] = []
