"""The `aupguard` command line: a contract that scripts and tests outside the project call.

Exit status: 0 when the command ran (whatever it found), 1 when `policy coverage` finds a problem,
2 for bad usage or an input that cannot be read, with a one-line error on stderr per problem.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from aupguard import __version__

# The modules that register the commands, in the order `--help` lists them. A command's module is
# imported when the command runs (or for the full help), not before: `aupguard squid-helper`, which
# Squid starts and restarts, does not load the relay, email parsing and coverage to answer a URL.
MODULES = ("policy", "check", "relay", "web", "scan")
# The commands that need only their own module, by the module that registers them.
ALONE = {"squid-helper": "web", "scan": "scan"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, as the contract says, instead of argparse's usage block.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser(modules: Sequence[str] = MODULES) -> argparse.ArgumentParser:
    """The parser with the commands of `modules` (all of them by default)."""
    parser = _Parser(prog="aupguard", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"aupguard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name in modules:
        importlib.import_module(f"aupguard.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    alone = ALONE.get(given[0]) if given else None
    if alone is None:
        # pypdf warns about every damaged PDF on stderr; the mail reader already reports what it
        # could not read, in the decision, where a network manager looks. (The web commands read no
        # mail, and do not import logging to start.)
        import logging  # noqa: PLC0415

        logging.getLogger("pypdf").setLevel(logging.ERROR)
    parser = build_parser((alone,) if alone else MODULES)
    args = parser.parse_args(given)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # `aupguard policy show wells | head`
        sys.stderr.close()
        return 0
    return code
