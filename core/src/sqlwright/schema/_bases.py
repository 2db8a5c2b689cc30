"""The expression-tree classes Table and Column extend."""

from __future__ import annotations

from sqlwright.sql.expression import ColumnClause
from sqlwright.sql.selectable import TableClause

__all__ = ["ColumnClause", "TableClause"]
