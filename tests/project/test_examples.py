"""Every function and class of the public API shows how it is called: a numpydoc
``Examples`` section with at least one ``>>>`` line, which pytest runs as a doctest
(``--doctest-modules``), so the printed result cannot drift from the code.

The public API is ``relscore.__all__``: its functions and classes, and the public functions
of the modules it names (``relscore.datasets``). Constants are left out.
"""

from __future__ import annotations

import inspect
import re

import pytest

import relscore

HEADING_RULE = re.compile(r"-{3,}")


def public_callables() -> dict[str, object]:
    """``relscore.NAME`` for each function and class of ``__all__``, and
    ``relscore.MODULE.NAME`` for each public function a module of ``__all__`` defines."""
    found = {}
    for name in relscore.__all__:
        value = getattr(relscore, name)
        if inspect.ismodule(value):
            for member, function in vars(value).items():
                if (
                    not member.startswith("_")
                    and inspect.isfunction(function)
                    and function.__module__ == value.__name__
                ):
                    found[f"{name}.{member}"] = function
        elif inspect.isfunction(value) or inspect.isclass(value):
            found[name] = value
    return found


def examples_section(docstring: str | None) -> list[str]:
    """The lines of a numpydoc docstring's ``Examples`` section (empty if it has none)."""
    lines = inspect.cleandoc(docstring or "").splitlines()
    for at, line in enumerate(lines[:-1]):
        if line.strip() == "Examples" and HEADING_RULE.fullmatch(lines[at + 1].strip()):
            section = lines[at + 2 :]
            for end in range(len(section) - 1):  # up to the next heading, if one follows
                heading, rule = section[end].strip(), section[end + 1].strip()
                if heading and HEADING_RULE.fullmatch(rule) and len(rule) >= len(heading):
                    return section[:end]
            return section
    return []


PUBLIC = public_callables()


def test_the_public_api_is_found():
    assert {"tension_index", "code_events", "Tally", "UnknownDyadError", "datasets.load"} <= set(
        PUBLIC
    )
    assert not {"DEFAULT_HALF_LIFE", "SCHEMES", "datasets", "__version__"} & set(PUBLIC)


def test_the_namespace_shows_the_api_and_nothing_else():
    # `import relscore` then `relscore.<tab>`: the API of __all__ and the subpackages, no
    # helper of our own imports (`version` and `PackageNotFoundError` were there).
    shown = {name for name in vars(relscore) if not name.startswith("_")}
    modules = {name for name in shown if inspect.ismodule(getattr(relscore, name))}
    assert shown - modules == set(relscore.__all__) - {"__version__"} - modules


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_has_a_runnable_example(name):
    # The object's own docstring: a class without one must not pass on its parent's.
    section = examples_section(PUBLIC[name].__doc__)
    assert any(line.lstrip().startswith(">>>") for line in section), (
        f"relscore.{name} has no Examples section with a >>> line in its docstring: "
        "add a small example that shows its printed result"
    )


@pytest.mark.parametrize(
    ("docstring", "expected"),
    [
        ("Sum.\n\nExamples\n--------\n>>> 1 + 1\n2\n", [">>> 1 + 1", "2"]),
        ("Sum.\n\nNotes\n-----\n>>> 1 + 1\n2\n", []),  # a >>> elsewhere is not an example
        ("Sum.\n\nExamples\n--------\nSee below.\n\nNotes\n-----\n>>> 1\n", ["See below.", ""]),
        (None, []),
    ],
)
def test_examples_section(docstring, expected):
    assert examples_section(docstring) == expected
