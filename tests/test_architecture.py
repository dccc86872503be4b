"""The package's shape, as docs/architecture.md draws it: layers that import only
downwards, no cycles between packages, and no room doing everyone's job."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit"


def test_layers_and_no_cycles() -> None:
    # the contracts are in pyproject.toml; a broken one prints the offending imports
    assert (
        lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
    )


def lines_by_package() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in PACKAGE.rglob("*.py"):
        top = path.relative_to(PACKAGE).parts[0]
        found[top] = found.get(top, 0) + len(path.read_text(encoding="utf-8").splitlines())
    return found


def test_no_first_level_package_holds_more_than_a_quarter() -> None:
    found = lines_by_package()
    total = sum(found.values())
    too_big = {name: n for name, n in found.items() if n > total / 4}
    assert not too_big, f"{too_big} of {total} lines: split by job"


def test_every_package_says_what_it_owns_and_may_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = init.read_text(encoding="utf-8").split('"""')
        assert len(doc) > 2 and "May import" in doc[1], f"{init.parent.name}: what may it import?"
