"""How the apps lean on each other, read from the source: `python -m bench.layering`.

Every figure is computed from the AST of `debrief/` (imports inside functions included, since a
lazy import is a dependency all the same) or, for templates, from their text, so a later count
is made the same way as the first (issue 11 point 3):

- two-way imports: pairs of apps where each imports the other;
- views importing views: import statements, outside `urls.py`, that name a module whose last part
  is `views` or ends in `_views`, other than the importing module itself;
- `kind ==` comparisons in Python files and in templates;
- the lines of `journal/reflection.py`.

`tests/test_layering.py` uses `imports()` to keep `privacy` free of domain apps.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "debrief"
KIND_EQUALS = re.compile(r"kind\s*==")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path) -> list[str]:
    """The dotted names a module imports: `from a.b import c` gives `a.b` and `a.b.c`."""
    module = _module_name(path) if path.is_relative_to(ROOT) else path.stem
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node, path)
            found.append(source)
            found.extend(f"{source}.{alias.name}" for alias in node.names)
    return found


def _app(dotted: str) -> str | None:
    parts = dotted.split(".")
    if len(parts) < 2 or parts[0] != "debrief":
        return None
    return parts[1]


def python_files(under: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "migrations" not in p.parts)


def app_edges() -> dict[str, set[str]]:
    """Each app's set of other apps it imports (apps are the folders of `debrief/`)."""
    apps = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    edges: dict[str, set[str]] = defaultdict(set)
    for path in python_files():
        here = _app(_module_name(path))
        if here not in apps:
            continue
        for name in imports(path):
            there = _app(name)
            if there in apps and there != here:
                edges[here].add(there)
    return edges


def two_way() -> list[tuple[str, str]]:
    edges = app_edges()
    return sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, ())})  # type: ignore[misc]


def _is_views(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views")


def views_importing_views() -> list[tuple[str, str]]:
    """(importer, views module) for every import of a views module outside urls.py."""
    found = set()
    for path in python_files():
        if path.name.endswith("urls.py"):
            continue
        module = _module_name(path)
        for name in imports(path):
            parts = name.split(".")
            # `from debrief.x.views import f` yields both `debrief.x.views` and `...views.f`.
            target = next(
                (".".join(parts[: i + 1]) for i in range(len(parts)) if _is_views(parts[i])), ""
            )
            if target and target != module and target.startswith("debrief."):
                found.add((module, target))
    return sorted(found)


def kind_comparisons() -> tuple[int, int]:
    py = sum(len(KIND_EQUALS.findall(p.read_text(encoding="utf-8"))) for p in python_files())
    templates = [p for p in PACKAGE.rglob("*.html")] + [
        p for p in PACKAGE.rglob("*.txt") if "templates" in p.parts
    ]
    html = sum(len(KIND_EQUALS.findall(p.read_text(encoding="utf-8"))) for p in templates)
    return py, html


def lines(relative: str) -> int:
    path = PACKAGE / relative
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def main() -> int:
    pairs = two_way()
    views = views_importing_views()
    py, html = kind_comparisons()
    print(f"two-way imports between apps: {len(pairs)}")
    for a, b in pairs:
        print(f"  {a} <-> {b}")
    print(f"views imported outside urls.py: {len(views)}")
    for importer, target in views:
        print(f"  {importer} -> {target}")
    print(f"'kind ==' comparisons: {py} in Python, {html} in templates")
    print(f"lines of journal/reflection.py: {lines('journal/reflection.py')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
