"""The `aupguard` command line: a contract that scripts and tests outside the project call.

Exit status: 0 when the command ran (whatever it found), 1 when `policy coverage` finds a problem,
2 for bad usage or an input that cannot be read, with a one-line error on stderr per problem.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from aupguard import __version__
from aupguard.cli import check, policy, relay, scan, web


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, as the contract says, instead of argparse's usage block.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aupguard", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"aupguard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    policy.register(commands)
    check.register(commands)
    relay.register(commands)
    web.register(commands)
    scan.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # pypdf warns about every damaged PDF on stderr; the mail reader already reports what it could
    # not read, in the decision, where a network manager looks.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # `aupguard policy show wells | head`
        sys.stderr.close()
        return 0
    return code
