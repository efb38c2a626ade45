"""The tutorial, run as printed: its files and commands are read from the page, run in order
in a fresh folder while the docs build (and by ``tests/project/test_docs.py``), and compared
with the outputs the page shows; the chart the last step draws goes on the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

COMMAND_TIMEOUT_S = 300


BLOCK = re.compile(
    r"^```(?:\{code-block\} \S+\n:caption: (?P<file>\S+)\n|(?P<console>console)\n)"
    r"(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Step:
    """One step of the tutorial: write ``file`` with ``text``, or run ``command`` and expect
    ``text`` as its output (``...`` stands for any text, a line of ``...`` for any lines)."""

    text: str
    file: str | None = None
    command: str | None = None


def tutorial_steps(page: str) -> list[Step]:
    """The steps of a tutorial page, in order.

    A file is a ``{code-block}`` with a ``:caption:`` naming it (and a blank line before its
    text); a command is a line starting with ``$`` in a ``console`` block, and the lines
    under it, up to the next command, are its output.
    """
    steps = []
    for block in BLOCK.finditer(page):
        body = block["body"]
        if block["file"]:
            steps.append(Step(text=body.removeprefix("\n"), file=block["file"]))
            continue
        command, output = None, []
        for line in body.splitlines():
            if line.startswith("$ "):
                if command:
                    steps.append(Step(text="\n".join(output), command=command))
                command, output = line.removeprefix("$ "), []
            else:
                output.append(line)
        if command:
            steps.append(Step(text="\n".join(output), command=command))
    return steps


def expected_pattern(text: str) -> re.Pattern:
    """The output a step expects as a pattern: ``...`` matches anything."""
    lines = []
    for line in text.strip().splitlines():
        if line.strip() == "...":
            lines.append(r"(?:.*\n)*?.*")
        else:
            lines.append(".*?".join(re.escape(part) for part in line.rstrip().split("...")))
    return re.compile("\n".join(lines))


def run_steps(steps: list[Step], folder: Path) -> list[str]:
    """Write the files and run the commands in ``folder``; return what differs (empty: all
    as printed on the page). The commands find this Python's ``relscore`` and ``python``
    first on the PATH, and run with matplotlib's non-interactive backend."""
    folder.mkdir(parents=True, exist_ok=True)
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env["MPLBACKEND"] = "Agg"
    problems = []
    for step in steps:
        if step.file:
            (folder / step.file).write_text(step.text, encoding="utf-8")
            continue
        result = subprocess.run(
            ["bash", "-c", step.command],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        output = "\n".join(line.rstrip() for line in result.stdout.strip().splitlines())
        if result.returncode != 0:
            problems.append(f"$ {step.command}\nexited {result.returncode}:\n{output}")
        elif not expected_pattern(step.text).fullmatch(output):
            problems.append(f"$ {step.command}\nprinted:\n{output}\nthe page says:\n{step.text}")
    return problems


class TutorialDirective(SphinxDirective):
    """``.. relscore-tutorial:: tension.png``: run this page's steps, show the chart."""

    required_arguments = 1
    option_spec: ClassVar = {
        "alt": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
    }

    def run(self) -> list[nodes.Node]:
        if not self.config.relscore_run_tutorial:
            return [nodes.paragraph(text="(The tutorial was not run in this build.)")]
        page = Path(self.env.doc2path(self.env.docname)).read_text(encoding="utf-8")
        # Beside the output folder (docs/_build/tutorial), fresh for each build.
        folder = Path(self.env.app.outdir).parent / "tutorial"
        shutil.rmtree(folder, ignore_errors=True)
        problems = run_steps(tutorial_steps(page), folder)
        if problems:
            raise self.error("the tutorial does not run as printed:\n\n" + "\n\n".join(problems))
        chart = folder / self.arguments[0]
        if not chart.is_file():
            raise self.error(f"the tutorial's steps did not write {self.arguments[0]}")
        here = Path(self.env.doc2path(self.env.docname)).parent
        uri = os.path.relpath(chart, here)
        image = nodes.image(uri=uri, alt=self.options.get("alt", ""), candidates={"*": uri})
        if "width" in self.options:
            image["width"] = self.options["width"]
        return [image]


def setup(app) -> None:
    # -D relscore_run_tutorial=0 skips running it (a quick build that checks something else)
    app.add_config_value("relscore_run_tutorial", True, "env", bool)
    app.add_directive("relscore-tutorial", TutorialDirective)
