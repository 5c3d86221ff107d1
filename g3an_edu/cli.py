"""The ``g3an-edu`` command line (also ``python -m g3an_edu``).

Each subcommand lives in ``g3an_edu/commands/<name>.py`` and has a ``register(subparsers)``
function that adds its parser and sets ``func`` (called with the parsed arguments, returns
the exit code).
"""

from __future__ import annotations

import argparse
import sys

from .commands import data, doctor, evaluate, oracle, sample, train

COMMANDS = (doctor, data, train, sample, evaluate, oracle)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="g3an-edu", description="G3AN course tools: check the set-up, data, training."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, RuntimeError, FileNotFoundError) as err:
        print(f"g3an-edu {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
