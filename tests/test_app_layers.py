"""The apps depend one way: each imports only the layers below it, so that outgoing
mail, email preferences and the shared helpers can be used by every app and never
reach back into one."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom; each layer may import itself and the layers after it.
LAYERS = ["members", "practice_library", "sessions_app", "cop_portal.mail", "cop_portal.lib"]


def layer_of(module: str) -> str | None:
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            # `from cop_portal import mail` names the package through its attribute.
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def sources(layer: str) -> list[Path]:
    folder = ROOT / layer.replace(".", "/")
    return [path for path in folder.rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_itself_and_the_layers_below(layer):
    below = set(LAYERS[LAYERS.index(layer) :])
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sources(layer)
        for module in imported_modules(path)
        if layer_of(module) not in (None, *below)
    )

    assert wrong == []


def test_lower_layers_import_nothing_else_of_the_project_package():
    """cop_portal.lib and cop_portal.mail may not import the project's own modules
    (settings, urls, views), which sit above every app."""
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for layer in ("cop_portal.mail", "cop_portal.lib")
        for path in sources(layer)
        for module in imported_modules(path)
        if module.startswith("cop_portal.") and layer_of(module) is None
    )

    assert wrong == []


@pytest.mark.parametrize("layer", ["cop_portal.mail", "cop_portal.lib"])
def test_lower_layers_never_name_an_apps_urls(layer):
    """Not even as strings: the apps above contribute what the lower layers need (the
    members app names its preferences page to the mail app)."""
    named = re.compile(r"""["'](members|library|sessions):""")
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources(layer)
        for match in named.finditer(path.read_text())
    )

    assert wrong == []
