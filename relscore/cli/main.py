"""The ``relscore`` command: one parser tree, a handler per command.

Exit codes: 0 success, 1 invalid input (one ``FILE:LINE: column: message`` per problem on
stderr, or one ``relscore: error: ...`` line), 2 usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from relscore import __doc__ as package_doc
from relscore import __version__
from relscore.cli import (
    alerts,
    analysis,
    crises,
    explain,
    explore,
    fetch,
    figures,
    importing,
    index,
    validate,
    watch,
)
from relscore.cli import update as update_command
from relscore.exceptions import ProblemsError, RelscoreError
from relscore.files.errors import reason
from relscore.vocabulary import did_you_mean


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong, and where help is.

    A mistyped choice gets a suggestion (``did you mean 'index'?``).
    """

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            known = re.findall(r"'([^']*)'", choice[2])
            message += did_you_mean(choice[1], known)
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each sub-command's handler is its ``run`` default."""
    parser = Parser(prog="relscore", description=package_doc)
    parser.add_argument("--version", action="version", version=f"relscore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate.add_parser(commands)
    index.add_parser(commands)
    analysis.add_parsers(commands)
    crises.add_parser(commands)
    importing.add_parser(commands)
    figures.add_parser(commands)
    explain.add_parser(commands)
    explore.add_parser(commands)
    fetch.add_parser(commands)
    update_command.add_parser(commands)
    alerts.add_parser(commands)
    watch.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # args.usage: the sub-command's own parser, so a usage error shows its usage
        return args.run(args, args.usage)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except RelscoreError as exc:
        print(f"relscore: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # one no reader or writer names: standard output, mostly
        where = exc.filename or "standard output"
        print(f"relscore: error: {where}: {reason(exc)}", file=sys.stderr)
        return 1
