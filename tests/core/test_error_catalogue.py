"""Error codes come from the catalogues (core.errors), never strings typed at the raise."""

import ast
from pathlib import Path

from core.errors import all_error_codes
from tests.source import source_tree

ROOT = Path(__file__).resolve().parents[2]
# Apps whose services raise only catalogue members.
CATALOGUED_APPS = ["core", "scheduling", "kiosk", "counter", "settlement"]


def typed_codes(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(source_tree(path)):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    name = ast.unparse(node.func).split(".")[-1]
                    if (
                        keyword.arg == "code"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and (name.endswith(("Error", "Failed")) or name in ("Conflict", "NotFound"))
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {value.value}")
    return found


def test_no_error_code_is_typed_at_the_raise():
    for app in CATALOGUED_APPS:
        assert typed_codes(app) == [], f"use the {app} catalogue (errors.py)"


def test_one_spelling_per_code_across_the_catalogues():
    seen: dict[str, str] = {}
    for app, codes in all_error_codes().items():
        for code in codes:
            assert code not in seen, f"{code} is in both {seen[code]} and {app}: define it once"
            seen[code] = app
