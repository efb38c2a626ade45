"""Execute every notebook in ``notebooks/`` top to bottom on a clean kernel.

The sources are jupytext percent scripts (``notebooks/NN_name.py``, diffable, no outputs);
the executed copies, with every plot in place, go to ``notebooks/executed/NN_name.ipynb``
(ignored by git) for a reader to open in Jupyter. Run ``python tools/execute_notebooks.py``
from the project's root (``make figures`` does).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXECUTED = NOTEBOOKS / "executed"
TIMEOUT_S = 600


def notebook_sources() -> list[Path]:
    """The notebook sources, in their numbered order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def execute(source: Path):
    """Execute the notebook ``source`` in ``notebooks/`` and return it with its outputs.

    The result is a plain notebook: the source's Jupytext metadata (its pairing with the
    ``py:percent`` script, its text representation) is left out, as it describes the
    script, not the ``.ipynb`` copy; JupyterLab's Jupytext refuses to open an ``.ipynb``
    whose pairing does not name it.
    """
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    # Inline plots render without a display, so the executed copies carry their figures.
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        # The kernel app's own log (e.g. its note on TCP transport on loopback) is not
        # the notebook's output; errors still show, and cell output is untouched.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    client.execute(env=env)
    return notebook


def write_executed(source: Path, folder: Path = EXECUTED) -> Path:
    """Execute ``source`` and write its executed copy to ``folder/NN_name.ipynb``."""
    import nbformat

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from relscore.files.atomic import write_text_atomic

    target = Path(folder) / f"{source.stem}.ipynb"
    write_text_atomic(target, nbformat.writes(execute(source)))
    return target


def main() -> int:
    sources = notebook_sources()
    for number, source in enumerate(sources, 1):
        print(
            f"[{number}/{len(sources)}] executing {source.relative_to(ROOT)}",
            file=sys.stderr,
            flush=True,
        )
        print(write_executed(source).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
