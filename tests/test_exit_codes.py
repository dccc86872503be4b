"""Exit codes are what ``zvit --help`` (and so docs/cli.md and the README) says they are:
0 done (warnings printed, their files count), 1 done in part or with errors, 2 not done,
130 interrupted (tests/test_interrupt.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

CASES = Path(__file__).resolve().parent / "cases" / "returns"
README = CASES.parents[2] / "README.md"
PLAN = ["--plan", str(CASES / "plan.yaml"), "--units", str(CASES / "units.yaml")]


def validate(case: str) -> tuple[int, str]:
    file = str(CASES / case / "returned.xlsx")
    args = ["validate", file, *PLAN, "-p", "2021", "--unit", "hmr-tercentr"]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def test_the_codes_are_documented_in_one_place() -> None:
    helped = CliRunner().invoke(cli, ["--help"]).output
    assert re.findall(r"^\s+(\d+)\s{2,}", helped, re.M) == ["0", "1", "2", "130"]
    readme = README.read_text(encoding="utf-8")
    assert "| `130` |" in readme and "| `2` |" in readme


@pytest.mark.slow  # validate checks in worker processes
def test_validate_warnings_only_is_0_errors_1() -> None:
    code, output = validate("numbers-typed-as-text")  # warnings only: the file counts
    assert code == 0, output
    assert "W_NUMBER_AS_TEXT" in output
    code, output = validate("email-doubtful")
    assert code == 0 and "W_EMAIL_INVALID" in output
    code, output = validate("status-not-in-list")  # an error: it would be rejected
    assert code == 1 and "E_CHOICE_INVALID" in output
    code, output = validate("not-a-form")
    assert code == 1, output


def test_not_done_is_2(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["validate", str(tmp_path / "none.xlsx"), *PLAN])
    assert missing.exit_code == 2
    nowhere = CliRunner().invoke(cli, ["-w", str(tmp_path), "status", "-p", "2025"])
    assert nowhere.exit_code == 2 and "E_NO_WORKSPACE" in nowhere.output
    unknown = CliRunner().invoke(cli, ["status", "--no-such-option"])
    assert unknown.exit_code == 2
