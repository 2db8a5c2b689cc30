"""Logging set-up for ``echo=True`` / ``echo="debug"`` on engines and pools."""

from __future__ import annotations

import logging
import sys

__all__ = ["configure_echo"]

_HANDLER_FLAG = "_sqlwright_echo_handler"


def configure_echo(logger: logging.Logger, echo: bool | str | None) -> None:
    """Make ``logger`` print to stdout at INFO (``True``) or DEBUG (``"debug"``), or stay quiet.

    With echo off nothing changes: the owner simply stops emitting records, and other engines
    sharing the logger keep their output.
    """
    if not echo:
        return
    handler = next((h for h in logger.handlers if getattr(h, _HANDLER_FLAG, False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        setattr(handler, _HANDLER_FLAG, True)
        logger.addHandler(handler)
    level = logging.DEBUG if echo == "debug" else logging.INFO
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
