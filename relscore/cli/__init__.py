"""The whole ``relscore`` command line: one parser tree, one handler per command.

May import every layer below it; nothing imports it but ``relscore.__main__``.
"""

from relscore.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
