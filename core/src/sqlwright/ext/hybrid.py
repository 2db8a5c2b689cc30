"""``from sqlwright.ext.hybrid import hybrid_property``: the same objects as in sqlwright.orm."""

from __future__ import annotations

from sqlwright.orm.hybrid import hybrid_method, hybrid_property

__all__ = ["hybrid_method", "hybrid_property"]
