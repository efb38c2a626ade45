"""The API reference: the public API (``relscore.__all__``) on one page, by topic, and every
module on the page of its layer, found by walking the package; cross-references that find an
object by the name Python finds it by."""

from __future__ import annotations

import ast
import inspect
import pkgutil
import re
from functools import cache
from importlib import import_module
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docstrings import prepare_docstring
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode, nested_parse_with_titles

logger = logging.getLogger(__name__)

PUBLIC_PAGE = "api/index"
VALUE_CHARS = 80  # a constant's value is shown when its repr is at most this long
PUBLIC_GROUPS = (  # the public API's sections: title, and the modules whose names go in it
    (
        "Reading, validating and importing events",
        ("relscore.readers", "relscore.importers", "relscore.store", "relscore.fetch"),
    ),
    ("Codes and weights", ("relscore.codebook", "relscore.coding")),
    ("The index", ("relscore.index", "relscore.scale", "relscore.vocabulary")),
    ("Episodes, alerts, half-lives and robustness", ("relscore.analysis",)),
    ("Errors", ("relscore.exceptions",)),
)


def package_modules(package: str) -> list[str]:
    """``package`` and every module under it (``__main__`` left out: importing it runs it),
    sorted."""
    module = import_module(package)
    names = [package]
    if hasattr(module, "__path__"):
        names += [info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")]
    return sorted(name for name in names if not name.endswith(".__main__"))


def assigns(module: str, name: str) -> re.Match | None:
    """The line of ``module``'s source that assigns ``name`` at the top level, if any:
    ``NAME = value  # comment`` gives the comment as ``match["comment"]``."""
    source = Path(import_module(module).__file__).read_text(encoding="utf-8")
    line = rf"^{re.escape(name)}\s*(?::[^=\n]*)?=[^\n]*?(?:#\s*(?P<comment>[^\n]*))?$"
    return re.search(line, source, re.MULTILINE)


@cache
def public_homes() -> dict[str, str]:
    """Each name of ``relscore.__all__`` and the module that defines it."""
    import relscore

    homes = {}
    for name in relscore.__all__:
        value = getattr(relscore, name)
        if inspect.ismodule(value):
            homes[name] = value.__name__
        elif inspect.isclass(value) or inspect.isfunction(value):
            homes[name] = value.__module__
        else:
            homes[name] = next(
                (
                    module
                    for module in package_modules("relscore")
                    if getattr(import_module(module), name, None) is value and assigns(module, name)
                ),
                "relscore",
            )
    return homes


def is_public(name: str, value) -> bool:
    """Whether ``value`` is ``relscore.name``: documented on the public page, not again."""
    import relscore

    return name in relscore.__all__ and getattr(relscore, name) is value


class PublicDirective(SphinxDirective):
    """``.. relscore-public::``: every name of ``relscore.__all__``, in sections by topic."""

    def run(self) -> list[nodes.Node]:
        import relscore

        homes = public_homes()
        lines = [".. automodule:: relscore", "   :no-members:", ""]
        for title, prefixes in PUBLIC_GROUPS:
            names = [n for n in relscore.__all__ if homes[n].startswith(prefixes)]
            lines += [title, "-" * len(title), ""]
            for name in sorted(names, key=lambda n: (homes[n], n)):
                value = getattr(relscore, name)
                if inspect.ismodule(value):
                    continue
                kind = "class" if inspect.isclass(value) else "function"
                kind = kind if callable(value) else "data"
                lines += [f".. auto{kind}:: relscore.{name}"]
                lines += ["   :members:", ""] if kind == "class" else [""]
        others = [
            n
            for n in relscore.__all__
            if not homes[n].startswith(tuple(p for _, group in PUBLIC_GROUPS for p in group))
        ]
        if others:
            lines += ["Also", "----", ""]
            for name in others:
                value = getattr(relscore, name)
                if inspect.ismodule(value):
                    lines += [f"- :mod:`relscore.{name}`: {inspect.getdoc(value).splitlines()[0]}"]
                else:
                    lines += ["", f".. autodata:: relscore.{name}", ""]
            lines += [""]
        return parse_rst(self, lines)


class ModulesDirective(SphinxDirective):
    """``.. relscore-modules:: relscore.readers``: a section per module, with its members.

    A package shows its own docstring, not the names it re-exports (they are documented in
    the module that defines them); a name of ``relscore.__all__`` is documented on the public
    API page, under ``relscore.name``, and found from here by its module's name too.
    """

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        lines = []
        for name in package_modules(self.arguments[0]):
            title = name.replace("_", r"\_")  # plain text: ``code`` makes a heavy heading
            lines += [title, "-" * len(title), "", f".. automodule:: {name}"]
            lines += ["   :members:", "   :undoc-members:"]
            if hasattr(import_module(name), "__path__"):
                lines += ["   :ignore-module-all:"]
            lines += [""]
            constants = [
                c
                for c in module_constants(name)
                if not is_public(c, getattr(import_module(name), c))
            ]
            if constants:
                lines += [".. rubric:: Constants", ""]
                lines += [line for c in constants for line in (f".. autodata:: {name}.{c}", "")]
        return parse_rst(self, lines)


def module_constants(module: str) -> list[str]:
    """The constants ``module`` defines: its top-level ``UPPER_CASE = ...``, in source order
    (autodoc documents a module's variables only when they carry a ``#:`` comment)."""
    tree = ast.parse(Path(import_module(module).__file__).read_text(encoding="utf-8"))
    names = []
    for statement in tree.body:
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [getattr(statement, "target", None)]
        )
        for target in targets:
            if isinstance(target, ast.Name) and re.fullmatch(r"[A-Z][A-Z0-9_]*", target.id):
                names.append(target.id)
    return list(dict.fromkeys(names))


def parse_rst(directive: SphinxDirective, lines: list[str]) -> list[nodes.Node]:
    """Nodes of reStructuredText ``lines`` (sections included) for ``directive`` to return."""
    container = nodes.section()
    container.document = directive.state.document
    source = StringList(lines, directive.get_source_info()[0])
    nested_parse_with_titles(directive.state, source, container)
    return container.children


def skip_public_members(app, what, name, obj, skip, options):
    """autodoc-skip-member: on a module's page, skip what the public API page documents."""
    on_module_page = what == "module" and app.env.current_document.docname != PUBLIC_PAGE
    return True if on_module_page and is_public(name, obj) else None


def describe_constant(app, what, name, obj, options, lines) -> None:
    """autodoc-process-docstring: a constant's text is the comment on the line that assigns it
    (``DEFAULT_HALF_LIFE = 14.0  # days``), and its value where that is short."""
    if what != "data":
        return
    inherited = (getattr(obj, "__doc__", None), type(obj).__doc__)
    if lines and " ".join(lines).split() in [
        " ".join(prepare_docstring(d or "")).split() for d in inherited
    ]:
        lines.clear()  # the docstring of the value's type (str, numpy.ndarray): not this one's
    if lines:
        return
    module, short = name.rsplit(".", 1)
    home = public_homes().get(short, module) if module == "relscore" else module
    line = assigns(home, short)
    comment = line["comment"] if line and line["comment"] else ""
    value = repr(obj)
    if len(value) > VALUE_CHARS:
        kind = type(obj).__qualname__
        if type(obj).__module__ != "builtins":
            kind = f"{type(obj).__module__}.{kind}"
        size = f" of {len(obj)} items" if hasattr(obj, "__len__") else ""
        value = f"a {kind}{size} (see the source)"
    else:
        value = f"``{value}``"
    lines += [f"{value}: {comment}" if comment else value]


def keep_own_signature(app, what, name, obj, options, signature, return_annotation):
    """autodoc-process-signature, before numpydoc: a function without a docstring of its own
    keeps its signature (numpydoc would take one from the first line of the docstring it
    inherits, such as argparse's ``error(message: string)``)."""
    if callable(obj) and getattr(obj, "__doc__", None) is None:
        return signature, return_annotation
    return None


def documented_objects(env) -> dict[int, str]:
    """The Python objects documented at the top level of a module, by id: their full name."""
    domain = env.domains["py"]
    found = {}
    for fullname, entry in domain.objects.items():
        module, _, short = fullname.rpartition(".")
        if entry.aliased or module not in domain.modules:
            continue
        value = getattr(import_module(module), short, None)
        if inspect.isclass(value) or inspect.isfunction(value) or entry.objtype == "data":
            found[id(value)] = fullname
    return found


def add_aliases(app, env) -> None:
    """env-updated: ``module.name`` finds an object wherever it is documented, when ``name``
    is that object in ``module``'s namespace (imported or re-exported), as Python finds it."""
    domain = env.domains["py"]
    documented = documented_objects(env)
    for module in list(domain.modules):
        for short, value in vars(import_module(module)).items():
            alias = f"{module}.{short}"
            target = documented.get(id(value))
            if target is None or alias in domain.objects:
                continue
            if domain.objects[target].objtype == "data" and target.rpartition(".")[2] != short:
                continue  # equal constants are not the same constant
            entry = domain.objects[target]
            domain.objects[alias] = entry._replace(aliased=True)


def resolve_short_names(app, env, node, contnode):
    """missing-reference: a short name in a docstring (``half_life_fit``) written for its own
    module finds the one object of that name, wherever the docstring is shown."""
    if node.get("refdomain") != "py" or not str(node.get("py:module", "")).startswith("relscore"):
        return None
    domain = env.domains["py"]
    target = node["reftarget"]
    matches = domain.find_obj(
        env, node.get("py:module"), node.get("py:class"), target, node["reftype"], 1
    )
    places = {(domain.objects[name].docname, domain.objects[name].node_id) for name, _ in matches}
    if len(places) != 1:
        return None
    docname, node_id = places.pop()
    return make_refnode(app.builder, node["refdoc"], docname, node_id, contnode, target)


def empty(module: str) -> bool:
    """Whether ``module`` is an empty file (a folder of package data, such as relscore.data)."""
    return not Path(import_module(module).__file__).read_text(encoding="utf-8").strip()


def check_every_module(app, env) -> None:
    """env-check-consistency: a module of relscore on no API page is a warning (an error under
    ``-W``), so a new module gets its place in ``docs/api/``."""
    documented = set(env.domains["py"].modules)
    missing = [m for m in package_modules("relscore") if m not in documented and not empty(m)]
    if missing:
        logger.warning("modules on no page of docs/api/: %s", ", ".join(missing))


def setup(app) -> None:
    app.add_directive("relscore-public", PublicDirective)
    app.add_directive("relscore-modules", ModulesDirective)
    app.connect("autodoc-skip-member", skip_public_members)
    # Before numpydoc's handlers, which would rework the lines and the signature first.
    app.connect("autodoc-process-docstring", describe_constant, priority=400)
    app.connect("autodoc-process-signature", keep_own_signature, priority=400)
    app.connect("env-updated", add_aliases)
    app.connect("missing-reference", resolve_short_names)
    app.connect("env-check-consistency", check_every_module)
