"""The ``relscore`` command: one parser tree, a handler per command.

Exit codes: 0 success, 1 invalid input (one ``FILE:LINE: column: message`` per problem on
stderr, or one ``relscore: error: ...`` line), 2 usage error, 130 interrupted (Ctrl-C: one
line; every output is written whole or not at all, so nothing half-written is left).

What relscore reads but warns of (:class:`~relscore.exceptions.RelscoreWarning`) is one
``relscore: warning: ...`` line on stderr. Output survives any terminal: a character the
terminal's encoding cannot show (``PYTHONIOENCODING=ascii``) is written as an escape
(``\u2013``); files are always UTF-8.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from typing import NoReturn

from relscore import __doc__ as package_doc
from relscore import __version__
from relscore.cli import (
    alerts,
    analysis,
    chart,
    codes,
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
from relscore.exceptions import ProblemsError, RelscoreError, RelscoreWarning
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
        unknown = re.match(r"unrecognized arguments: (.*)", message)
        if unknown:
            message += "".join(
                did_you_mean(word.split("=")[0], self._options(), cutoff=0.75)
                for word in unknown[1].split()
                if word.startswith("--")
            )
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _options(self) -> list[str]:
        """Every long option of this parser and of its commands (argparse reports an unknown
        option of a command on the top parser, which knows only its own)."""
        parsers = [self]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += list(action.choices.values())
        return sorted(
            {o for p in parsers for a in p._actions for o in a.option_strings if o[:2] == "--"}
        )


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
    codes.add_parser(commands)
    chart.add_parser(commands)
    explain.add_parser(commands)
    explore.add_parser(commands)
    fetch.add_parser(commands)
    update_command.add_parser(commands)
    alerts.add_parser(commands)
    watch.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    for stream in (sys.stdout, sys.stderr):  # an ASCII terminal gets escapes, not an error
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    with warnings.catch_warnings():
        warnings.simplefilter("always", RelscoreWarning)
        warnings.showwarning = _show_warning
        try:
            args = parser.parse_args(argv)
            _check_directed(args)
            # args.usage: the sub-command's own parser, so a usage error shows its usage
            return args.run(args, args.usage)
        except KeyboardInterrupt as exc:
            print(
                "relscore: interrupted (every output is written whole or not at all: none is "
                "left half-written)",
                file=sys.stderr,
            )
            _print_notes(exc)
            return 130
        except ProblemsError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
        except RelscoreError as exc:
            print(f"relscore: error: {exc}", file=sys.stderr)
            _print_notes(exc)
            return 1
        except OSError as exc:  # one no reader or writer names: standard output, mostly
            where = exc.filename or "standard output"
            print(f"relscore: error: {where}: {reason(exc)}", file=sys.stderr)
            return 1


def _print_notes(exc: BaseException) -> None:
    """What was done before the error (an import's committed files), a line each."""
    for note in getattr(exc, "__notes__", ()):
        print(f"relscore: {note}", file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A RelscoreWarning as one line; any other as Python shows it."""
    if issubclass(category, RelscoreWarning):
        print(f"relscore: warning: {message}", file=sys.stderr)
    else:
        warnings._showwarnmsg_impl(warnings.WarningMessage(message, category, filename, lineno))


def _check_directed(args: argparse.Namespace) -> None:
    """``--dyad IRN>PAK`` is directed: a command that also reads ``--directed`` needs it
    (without it the undirected IRN-PAK would be written, in silence)."""
    dyad, directed = getattr(args, "dyad", None), getattr(args, "directed", None)
    if dyad and ">" in dyad and directed is False:
        args.usage.error(
            f"argument --dyad: {dyad} is a directed dyad: add --directed, or write "
            f"{dyad.replace('>', '-')} for both directions"
        )
