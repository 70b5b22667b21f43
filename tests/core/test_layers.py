"""The layers of docs/architecture.md, enforced: arrows point down only, siblings never
import each other, ``bmip`` holds configuration and is imported by no app.

A higher app is reached from a lower one only through a dotted path listed in settings
(``RETENTION_PURGERS``, ``DEMO_SEEDERS``, ``RECORD_HOOKS`` ...), never an import.
"""

import ast
from pathlib import Path

from tests.source import source_tree

ROOT = Path(__file__).resolve().parents[2]

# app -> the project apps it may import (besides itself).
ALLOWED = {
    "core": set(),
    "scheduling": {"core"},
    "kiosk": {"core", "scheduling"},
    "counter": {"core", "scheduling"},
    "advice": {"core", "scheduling"},
    "settlement": {"core", "scheduling", "counter"},
    "activities": {"core", "scheduling", "counter"},
}
PROJECT = set(ALLOWED) | {"bmip"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = source_tree(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def layer_violations(root: Path = ROOT) -> list[str]:
    problems = []
    for app, allowed in ALLOWED.items():
        folder = root / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue  # migrations may depend on other apps' migration graph
            for lineno, top in _imports(path):
                if top in PROJECT and top != app and top not in allowed:
                    problems.append(f"{path.relative_to(root)}:{lineno} imports {top}")
    return sorted(problems)


def test_no_import_points_up_or_sideways():
    assert layer_violations() == []


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """Negative control: the check fails when someone adds an upward or sideways import."""
    for app, source in {
        "core": "from scheduling.models import Appointment\n",
        "kiosk": "import counter.services\n",
        "scheduling": "from bmip import settings\n",
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "bad.py").write_text(source)
    assert layer_violations(tmp_path) == [
        "core/bad.py:1 imports scheduling",
        "kiosk/bad.py:1 imports counter",
        "scheduling/bad.py:1 imports bmip",
    ]


def test_every_app_is_in_the_layer_table():
    """A new app must say where it stands before it can be added."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(ALLOWED), f"apps missing from the layer table: {apps - set(ALLOWED)}"
