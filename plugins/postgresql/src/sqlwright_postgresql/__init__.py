"""The PostgreSQL dialect plugin for sqlwright (psycopg2).

Users reach it through ``create_engine("postgresql+psycopg2://...")``; this module is the place
for PostgreSQL-only public constructs (such as the upsert ``insert``) as they are added.
"""

from __future__ import annotations

__all__: list[str] = []
