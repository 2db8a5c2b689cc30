"""sqlwright.ext: optional extensions (``sqlwright.ext.hybrid``)."""

from __future__ import annotations
