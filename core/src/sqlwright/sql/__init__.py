"""sqlwright.sql: the SQL expression language.

``from sqlwright.sql import func, select, text, and_ ...`` works as ``from sqlwright import ...``
does; the names resolve lazily so that importing a submodule stays free of import cycles.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY_EXPORTS: dict[str, str] = {
    **dict.fromkeys(["delete", "insert", "update", "Delete", "Insert", "Update"], "dml"),
    **dict.fromkeys(["bindparam", "text"], "elements"),
    **dict.fromkeys(["func"], "functions"),
    **dict.fromkeys(
        ["and_", "asc", "between", "case", "cast", "collate", "column", "desc", "distinct",
         "extract", "false", "label", "literal", "literal_column", "not_", "null", "nulls_first",
         "nulls_last", "or_", "over", "true", "tuple_", "type_coerce", "within_group"],
        "expression"),
    **dict.fromkeys(
        ["alias", "cte", "except_", "except_all", "exists", "intersect", "intersect_all", "join",
         "lateral", "outerjoin", "select", "table", "union", "union_all", "Select"],
        "selectable"),
}


def __getattr__(name: str) -> Any:
    """Resolve an expression-language name from the submodule that defines it."""
    submodule = _LAZY_EXPORTS.get(name)
    if submodule is None:
        raise AttributeError(f"module 'sqlwright.sql' has no attribute {name!r}; the "
                             "expression language's names are also importable from 'sqlwright'")
    value = getattr(importlib.import_module(f"sqlwright.sql.{submodule}"), name)
    globals()[name] = value
    return value
