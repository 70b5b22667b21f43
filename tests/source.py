"""Read the project's own source as syntax trees (for the layer and catalogue checks)."""

import ast
from pathlib import Path


def source_tree(path: Path) -> ast.Module:
    """``ast.parse`` of a file, tried again once on CPython 3.11's spurious "AST constructor
    recursion depth mismatch" (gh-106905: the parser's depth counter is shared with any other
    thread compiling at the same moment, e.g. a live server left over by a browser test)."""
    source = path.read_text()
    try:
        return ast.parse(source, filename=str(path))
    except SystemError:
        return ast.parse(source, filename=str(path))
