"""The package tree shows the pipeline, and each layer imports only the layers below it.

foundation (diagnostics, messages, source, resources) → language → engine → io → tools → faces
(api, cli, the package itself). A function-local import of jixiao would hide a circle, so there is none.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jixiao"
LAYERS = ("foundation", "language", "engine", "io", "tools", "faces")
FOUNDATION = {"diagnostics", "messages", "source", "resources", "limits", "crash", "suggest", "folders"}


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "jixiao":
        raise ValueError(module)
    if len(parts) == 1 or parts[1] in ("api", "cli", "web", "__init__", "__main__"):
        return "faces"
    if parts[1] in FOUNDATION:
        return "foundation"
    return parts[1]


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        out.append((".".join(rel.parts), path))
    return out


def _submodule(name: str) -> str:
    """`from jixiao import X`: X is a module or package of jixiao, else a name of the package itself."""
    is_module = (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()
    return f"jixiao.{name}" if is_module else "jixiao"


def _imports(tree: ast.Module) -> list[tuple[str, bool]]:
    """(imported jixiao module, at module level?) for every import in the file."""
    top = {id(node) for node in tree.body}
    guarded = {
        id(inner)
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jixiao"):
            names = [node.module] if node.module != "jixiao" else [_submodule(a.name) for a in node.names]
            found += [(name, id(node) in top or id(node) in guarded) for name in names]
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names if a.name.startswith("jixiao")]
    return found


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_each_module_imports_only_downward(module: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = LAYERS.index(_layer(module))
    for imported, module_level in _imports(tree):
        assert module_level, f"{module} imports {imported} inside a function"
        assert LAYERS.index(_layer(imported)) <= own, f"{module} ({LAYERS[own]}) imports {imported} upward"


def test_every_module_belongs_to_a_layer() -> None:
    for module, _ in _modules():
        assert _layer(module) in LAYERS, module
