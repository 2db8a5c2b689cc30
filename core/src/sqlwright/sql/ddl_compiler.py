"""The DDL compiler: CREATE / DROP / ALTER statements for schema objects."""

from __future__ import annotations

from typing import Any

from sqlwright.sql.compiler import SQLCompiler

__all__ = ["DDLCompiler"]


class DDLCompiler(SQLCompiler):
    """Compiles DDL elements; dialects subclass it and override one rule per construct."""

    def visit_ddl(self, element: Any, **kw: Any) -> str:
        return self.post_process_text(element.statement)
