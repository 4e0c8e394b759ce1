"""The text keys the site uses, found by reading the templates (Jinja's parser) and the code (Python's), not by
rendering.

The page templates (``templates/``) look texts up with ``t('key')``, the theme overrides (``overrides/``
beside ``data/``) with ``pg('key')``, and the punctuation patterns with ``ft.pattern('key')``; the engine and
the MkDocs adapters (``hooks/`` beside ``data/``) with ``catalog.text(lang, "key")``, ``ctx.t("key")`` and
``ctx.tn("key", count)``. A lookup with a constant key must name a key of the source locale file.

A key built from data (``t('action.' ~ action.id ~ '.name')``, in Python ``f"action.{id}.name"``) is read as
a pattern with ``*`` for each part that is not constant (``action.*.name``) and must be one of
:data:`DYNAMIC_KEYS`, the patterns the site builds keys from; a key that is data as a whole
(``t(call.note['key'])``) is checked where the data is (facts.yml's keys by the facts check).

Names are followed to their value: a ``{% set key = 'family.' ~ family.id %}`` before the call, a ``{% for
key in ['a', 'b'] %}`` around it, and a macro that passes one of its parameters on as the key (``{% macro
ui(key) %}{{ pg(key) }}{% endmacro %}``) makes each call of that macro a key lookup.

So ``programme-guide check`` names the file and line of a mistyped key, before a build reaches it.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateSyntaxError

from . import datacache
from .errors import Problem

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
OVERRIDES = "overrides"  # the theme overrides, in the project folder (the one that holds data/)
HOOKS = "hooks"  # the MkDocs adapters, in the project folder

# Template functions whose first argument is a text key, and functions whose first argument is a key prefix that
# they complete with each id of their second argument and '.name' (pages.py: names(), label_map()).
KEY_FUNCTIONS = ("t", "pg", "ft.pattern")
NAME_FUNCTIONS = ("names", "label_map")
# Python methods that look a text up, with the position of the key among their arguments.
KEY_METHODS = {"text": 1, "t": 0, "tn": 0}
_LOOKUP = re.compile(r"\.(?:text|tn?)\(")  # a module without such a call needs no parsing

# The patterns the templates build keys from, with what fills the '*'. A template that builds any other
# pattern is reported: add the pattern here when the data provides its ids (and every locale file the keys).
DYNAMIC_KEYS = {
    "*.title": "the overview's id",
    "*.actions.caption": "the overview's id",
    "*.source": "the overview's id",
    "*.source.translation": "the overview's id",
    "*.source.translation_reviewed": "the overview's id",
    "*.*.heading": "the overview's id and its sections (guide.yml)",
    "*.*.*": "the overview's id, a section and one of its paragraphs",
    "*.*.item.*": "the overview's id, a section and one of its items",
    "family.*.name": "the families of guide.yml",
    "family.*.summary": "the families of guide.yml",
    "family.*.intro": "the families of guide.yml",
    "action.*.name": "the actions of guide.yml",
    "action.*.summary": "the actions of guide.yml",
    "body.*.name": "the managing bodies of guide.yml",
    "glossary.*.name": "the glossary terms of guide.yml",
    "glossary.*.text": "the glossary terms of guide.yml",
    "glossary.*.expansion": "the glossary terms of guide.yml with an abbreviation",
    "organisation.*.name": "the organisation types of guide.yml",
    "about.source_notes.*": "the source notes of guide.yml",
    "field.*.name": "the fields of facts.yml",
    "applicant.*.name": "the applicants of facts.yml",
    "criterion.*.name": "the award criteria of facts.yml",
    "part.*.name": "the lots, strands and rounds of facts.yml",
    "fact.confidence.*": "the confidences of the sources of facts.yml",
    "changes.kind.*": "the kinds of change between two calls (changes.py)",
    "keywords.*": "the pages with search keywords of their own (the overview, the comparison, the glossary)",
    "keywords.field.*": "the fields of facts.yml",
    "*.*.name": "names() and label_map() (pages.py): the prefix a template gives them, and each id",
    "*.nav": "the overview's id (hooks/generate.py: the navigation's section title)",
}


@dataclass(frozen=True)
class KeyUse:
    """A text key (or a pattern of keys, with '*') that a template looks up, and where."""

    file: Path
    line: int
    key: str

    @property
    def is_pattern(self) -> bool:
        return "*" in self.key


def template_files(project_dir: Path | None = None) -> list[Path]:
    """The page templates, and the theme overrides of the project folder ``project_dir`` when it has them."""
    files = sorted(TEMPLATES.glob("*.j2"))
    overrides = project_dir / OVERRIDES if project_dir is not None else None
    if overrides is not None and overrides.is_dir():
        files += sorted(p for p in overrides.rglob("*") if p.suffix in (".html", ".xml") and p.is_file())
    return files


def code_files(project_dir: Path | None = None) -> list[Path]:
    """The engine's modules, and the MkDocs adapters of the project folder ``project_dir`` when it has them."""
    files = sorted(PACKAGE.glob("*.py"))
    hooks = project_dir / HOOKS if project_dir is not None else None
    if hooks is not None and hooks.is_dir():
        files += sorted(hooks.glob("*.py"))
    return files


def key_uses(files: Iterable[Path]) -> list[KeyUse]:
    """Every key lookup in ``files`` (templates, and Python modules by their .py suffix), in file and line order.
    Raises TemplateSyntaxError for a broken template, SyntaxError for a broken module. What files with the same
    names and bytes use is taken from the cache (see :mod:`datacache`); what broken files raise never is."""
    files = list(files)
    sha = hashlib.sha256()
    for path in files:
        sha.update(f"{path}\0".encode())
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    key = sha.hexdigest()
    cached = datacache.find_value("key-uses", key)
    if isinstance(cached, list):
        try:
            return [KeyUse(Path(file), line, text_key) for file, line, text_key in cached]
        except (TypeError, ValueError):
            pass
    uses = _read_key_uses(files)
    datacache.store_value("key-uses", key, [[str(use.file), use.line, use.key] for use in uses])
    return uses


def _read_key_uses(files: list[Path]) -> list[KeyUse]:
    trees = {path: _parse(path) for path in files if path.suffix != ".py"}
    forwarding = {}
    for tree in trees.values():
        forwarding.update(_forwarding_macros(tree))
    uses = []
    for path, tree in trees.items():
        uses += [KeyUse(path, line, key) for line, key in _Scanner(forwarding).scan(tree)]
    for path in files:
        if path.suffix == ".py":
            uses += [KeyUse(path, line, key) for line, key in _python_lookups(path)]
    return sorted(set(uses), key=lambda use: (str(use.file), use.line, use.key))


def key_problems(source_keys: Iterable[str], source_file: Path, project_dir: Path | None = None) -> list[Problem]:
    """A problem for each key the templates use that the source locale file does not define, and for each
    pattern of keys that is not declared in DYNAMIC_KEYS, named with the template file and line."""
    defined = set(source_keys)
    problems = []
    try:
        uses = key_uses([*template_files(project_dir), *code_files(project_dir)])
    except TemplateSyntaxError as exc:
        return [Problem(exc.filename or "?", f"the template cannot be read: {exc.message}", "", line=exc.lineno)]
    except SyntaxError as exc:
        return [Problem(exc.filename or "?", f"the module cannot be read: {exc.msg}", "", line=exc.lineno)]
    for use in uses:
        if use.is_pattern:
            if use.key not in DYNAMIC_KEYS:
                hint = (
                    f"correct the key, or declare the pattern in DYNAMIC_KEYS ({Path(__file__).name}) if the "
                    "data provides its ids"
                )
                problems.append(Problem(use.file, f"the key pattern '{use.key}' is not a declared one", hint, use.line))
            elif not any(fnmatch.fnmatchcase(key, use.key) for key in defined):
                hint = f"add its texts to {source_file.name}, or correct the pattern"
                problems.append(Problem(use.file, f"no text key matches '{use.key}'", hint, use.line))
        elif use.key not in defined:
            hint = f"correct the key, or add it with its Dutch text to {source_file.name} (and the other locale files)"
            problems.append(
                Problem(use.file, f"the text key '{use.key}' is not defined in {source_file.name}", hint, use.line)
            )
    return problems


# Reading the code


def _python_lookups(path: Path) -> Iterator[tuple[int, str]]:
    """`x.text(lang, "key")`, `x.t("key")`, `x.tn("key", n)`: a constant key, or an f-string's pattern."""
    source = path.read_text("utf-8")
    if not _LOOKUP.search(source):
        return
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        position = KEY_METHODS.get(node.func.attr)
        if position is None or len(node.args) <= position:
            continue
        key = _python_value(node.args[position])
        if key is not None:
            yield node.lineno, key


def _python_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        value = "".join(part.value if isinstance(part, ast.Constant) else "*" for part in node.values)
        return value if value.strip("*") else None
    return None


# Reading the templates


def _parse(path: Path) -> nodes.Template:
    # Parsed only, never rendered, so autoescaping does not apply.
    return Environment(autoescape=True).parse(path.read_text("utf-8"), name=path.name, filename=str(path))


def _callee(node: nodes.Call) -> str | None:
    """'t' for t(...), 'ft.pattern' for ft.pattern(...), 'm.ui' for m.ui(...)."""
    if isinstance(node.node, nodes.Name):
        return node.node.name
    if isinstance(node.node, nodes.Getattr) and isinstance(node.node.node, nodes.Name):
        return f"{node.node.node.name}.{node.node.attr}"
    return None


def _forwarding_macros(tree: nodes.Template) -> dict[str, int]:
    """Macros that pass one of their parameters on as a key: name -> the parameter's position."""
    found = {}
    for macro in tree.find_all(nodes.Macro):
        params = [arg.name for arg in macro.args]
        for call in macro.find_all(nodes.Call):
            key = call.args[0] if _callee(call) in KEY_FUNCTIONS and call.args else None
            if isinstance(key, nodes.Name) and key.name in params:
                found[macro.name] = params.index(key.name)
    return found


class _Scanner:
    """Walks a template in document order, following `set`, `for` and `list.append` to the values of names;
    after an `if`, a name has the values of every branch."""

    def __init__(self, forwarding: dict[str, int]):
        self.forwarding = forwarding
        self.bound: dict[str, list[str | None]] = {}

    def scan(self, node: nodes.Node) -> Iterator[tuple[int, str]]:
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            yield from self.scan(node.node)
            self.bound[node.target.name] = self.values(node.node)
        elif isinstance(node, nodes.For):
            yield from self.scan(node.iter)
            self.bind_loop(node.target, node.iter)
            for child in [*([node.test] if node.test else []), *node.body, *node.else_]:
                yield from self.scan(child)
        elif isinstance(node, nodes.If):
            yield from self.branches(node)
        else:
            if isinstance(node, nodes.Macro):
                self.bound.update({arg.name: [None] for arg in node.args})
            if isinstance(node, nodes.Call):
                self.append(node)
                yield from self.lookups(node)
            for child in node.iter_child_nodes():
                yield from self.scan(child)

    def branches(self, node: nodes.If) -> Iterator[tuple[int, str]]:
        before, after = dict(self.bound), []
        for branch in [node, *node.elif_]:
            self.bound = dict(before)
            yield from self.scan(branch.test)
            for child in branch.body:
                yield from self.scan(child)
            after.append(self.bound)
        self.bound = dict(before)
        for child in node.else_:
            yield from self.scan(child)
        after.append(self.bound)
        self.bound = {
            name: list(dict.fromkeys(v for state in after for v in state.get(name, [None])))
            for name in set().union(*after)
        }

    def bind_loop(self, target: nodes.Node, sequence: nodes.Node) -> None:
        if isinstance(target, nodes.Name):
            self.bound[target.name] = self.values(sequence)
        elif isinstance(target, nodes.Tuple):
            rows = sequence.items if isinstance(sequence, nodes.List | nodes.Tuple) else []
            for index, name in enumerate(target.items):
                if isinstance(name, nodes.Name):
                    cells = [
                        row.items[index] for row in rows if isinstance(row, nodes.Tuple) and len(row.items) > index
                    ]
                    self.bound[name.name] = [v for cell in cells for v in self.values(cell)] or [None]

    def append(self, call: nodes.Call) -> None:
        """`keys.append(value)` adds the value's strings to the name's."""
        name = _callee(call)
        if name and name.endswith(".append") and call.args and name[: -len(".append")] in self.bound:
            owner = name[: -len(".append")]
            self.bound[owner] = [*self.bound[owner], *self.values(call.args[0])]

    def lookups(self, call: nodes.Call) -> Iterator[tuple[int, str]]:
        name = _callee(call)
        macro = name.rsplit(".", 1)[-1] if name else None
        if name in KEY_FUNCTIONS and call.args:
            keys = self.values(call.args[0])
        elif name in NAME_FUNCTIONS and call.args:
            keys = [f"{v}.*.name" if v is not None else None for v in self.values(call.args[0])]
        elif macro in self.forwarding and len(call.args) > self.forwarding[macro]:
            keys = self.values(call.args[self.forwarding[macro]])
        else:
            return
        for key in keys:
            if key is not None:
                yield call.lineno, key

    def values(self, node: nodes.Node) -> list[str | None]:
        """The strings an expression can have: constant parts as they are, any other part as '*'; None for an
        expression with no constant part (a key that is data as a whole). A list has the strings of its items."""
        if isinstance(node, nodes.Const):
            return [node.value] if isinstance(node.value, str) else [None]
        if isinstance(node, nodes.Name):
            return self.bound.get(node.name, [None])
        if isinstance(node, nodes.List | nodes.Tuple):
            return [v for item in node.items for v in self.values(item)] or [None]
        if isinstance(node, nodes.CondExpr):
            return self.values(node.expr1) + (self.values(node.expr2) if node.expr2 is not None else [])
        if isinstance(node, nodes.Or):
            return self.values(node.left) + self.values(node.right)
        if isinstance(node, nodes.Concat):
            parts = [[v if v is not None else "*" for v in self.values(child)] for child in node.nodes]
            joined = ["".join(combination) for combination in itertools.product(*parts)]
            return [value if value.strip("*") else None for value in joined]
        return [None]
