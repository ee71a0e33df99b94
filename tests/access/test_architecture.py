"""Views never query models directly: they go through selectors, services and `access`."""

import ast
from pathlib import Path

import pytest

import otmetka

pytestmark = pytest.mark.db_independent  # no database: scripts/test runs it in the SQLite pass

SRC = Path(otmetka.__file__).parent
# Every HTTP module: views.py, *_views.py, views/ packages and the JSON API handlers.
VIEW_MODULES = sorted(
    {
        *SRC.glob("*/views.py"),
        *SRC.glob("*/*_views.py"),
        *SRC.glob("*/views/*.py"),
        SRC / "api" / "api.py",
    }
)


def objects_uses(path: Path) -> list[int]:
    """Line numbers where the module touches `<something>.objects`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]


def test_there_are_view_modules_to_check() -> None:
    assert SRC / "home" / "views.py" in VIEW_MODULES
    assert SRC / "curriculum" / "ktp_views.py" in VIEW_MODULES


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_view_module_does_not_call_objects_on_a_model(path: Path) -> None:
    assert objects_uses(path) == [], f"{path.relative_to(SRC)}: use a selector or service"


def test_the_checker_finds_a_direct_query(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("def v(request):\n    return Student.objects.filter(pk=1)\n")
    assert objects_uses(bad) == [2]
