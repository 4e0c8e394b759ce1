"""Every package the code imports is declared in pyproject.toml, and requirements.lock has every declared pin.

How to update the lock: README, "Dependencies".
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

CODE = ("src", "hooks", "tests", "bench")
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)$")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, str]:
    """Declared distribution -> its pinned version, runtime and test dependencies together."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned with =="
        pins[normalised(match[1])] = match[2]
    return pins


def imported() -> dict[str, str]:
    """Top-level module imported by the code -> the first file that imports it (own modules left out)."""
    own = {"programme_guide"} | {p.stem for folder in CODE for p in (ROOT / folder).glob("*.py")}
    found: dict[str, str] = {}
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in own:
                        found.setdefault(top, path.relative_to(ROOT).as_posix())
    return found


def test_every_imported_package_is_declared():
    pins = declared()
    providers = packages_distributions()
    undeclared = []
    modules = imported()
    assert {"yaml", "jinja2", "mkdocs", "pytest"} <= set(modules), "the import statements were not found"
    for module, where in sorted(modules.items()):
        distributions = {normalised(d) for d in providers.get(module, [])}
        assert distributions, f"{where} imports {module}, which no installed distribution provides"
        if not distributions & set(pins):
            undeclared.append(f"{module} ({where}; from {', '.join(sorted(distributions))})")
    assert not undeclared, "imported but not declared in pyproject.toml: " + "; ".join(undeclared)


def test_the_lock_has_every_declared_pin():
    locked = {normalised(name): version for name, version in LOCKED.findall((ROOT / "requirements.lock").read_text())}
    stale = {name: (version, locked.get(name)) for name, version in declared().items() if locked.get(name) != version}
    assert not stale, (
        f"requirements.lock disagrees with pyproject.toml (declared, locked): {stale}; "
        "rebuild it as the README's Dependencies section says"
    )
