"""The ``sqlwright`` command: ``demo``, ``dialects``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _cmd_dialects(args: argparse.Namespace) -> int:
    from sqlwright.dialects import available

    infos = available()
    if not infos:
        print("No dialects installed. Install one: pip install \"sqlwright[postgresql]\"")
        return 1
    rows = [("dialect", "driver", "default", "plugin", "version", "DBAPI", "imports")]
    for info in infos:
        status = "yes" if info.dbapi_importable else f"no ({info.dbapi_error})"
        rows.append((info.name, info.driver, "*" if info.is_default else "", info.plugin,
                     info.version, info.dbapi_module, status))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        print("  ".join([*cells, row[-1]]).rstrip())
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from sqlwright.demo import run_demo

    run_demo(args.database, echo=args.echo)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sqlwright`` command."""
    parser = argparse.ArgumentParser(prog="sqlwright", description="sqlwright command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p_dialects = sub.add_parser("dialects", help="list installed dialects and drivers")
    p_dialects.set_defaults(func=_cmd_dialects)
    p_demo = sub.add_parser("demo", help="run a short session on an embedded SQLite database")
    p_demo.add_argument("--database", default="sqlwright_demo.db",
                        help="SQLite file to create (replaced if it exists)")
    p_demo.add_argument("--echo", action="store_true", help="log every SQL statement")
    p_demo.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sqlwright command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
