"""A newcomer's first commands: ``zvit init`` from any folder with a bundled example by
name, the list of examples, the error that says how to make a workspace (and whose
command works), and a zvit.toml that explains every setting zvit reads."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.errors import SettingsError
from toolkit.mailio import settings as mail_settings
from toolkit.workspace import CONFIG, Workspace, example_names, open_workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder outside the repository, as a coordinator's own."""
    folder = tmp_path / "office"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def zvit(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("name", ["luhansk-2018-2026", "hlukhiv-2020-2026"])
def test_init_from_a_bundled_example_by_name_anywhere(elsewhere: Path, name: str) -> None:
    made = zvit("init", "ws", "--from", name)
    assert made.exit_code == 0, made.output
    assert (elsewhere / "ws" / CONFIG).is_file()
    shown = zvit("-w", "ws", "plan", "check")
    assert shown.exit_code == 0, shown.output
    # a path works as before
    by_path = zvit("init", "ws2", "--from", str(ROOT / "examples" / name))
    assert by_path.exit_code == 0, by_path.output
    assert (elsewhere / "ws2" / "plan.yaml").read_bytes() == (
        elsewhere / "ws" / "plan.yaml"
    ).read_bytes()


def test_init_lists_the_examples(elsewhere: Path) -> None:
    assert example_names() == ("hlukhiv-2020-2026", "luhansk-2018-2026")
    listed = zvit("init", "--list")
    assert listed.exit_code == 0, listed.output
    for name in example_names():
        assert f"  {name} — " in listed.output
    assert "заходів 95" in listed.output and "заходів 47" in listed.output
    english = zvit("--lang", "en", "init", "--list")
    assert "Bundled examples" in english.output and "95 measures" in english.output
    assert not list(elsewhere.iterdir())  # listing makes nothing


def test_init_says_what_is_wrong(elsewhere: Path) -> None:
    unknown = zvit("init", "ws", "--from", "luhansk")
    assert unknown.exit_code == 2
    assert "[E_EXAMPLE_UNKNOWN]" in unknown.output and "luhansk-2018-2026" in unknown.output
    assert zvit("init", "--from", "luhansk-2018-2026").exit_code == 2  # no folder
    assert zvit("init", "ws").exit_code == 2  # nothing to make it from
    assert not (elsewhere / "ws").exists()


def test_the_no_workspace_error_suggests_a_command_that_works(elsewhere: Path) -> None:
    missing = zvit("status", "-p", "2025")
    assert missing.exit_code == 2
    assert "[E_NO_WORKSPACE]" in missing.output
    suggested = missing.output.split("«zvit ", 1)[1].split("»", 1)[0].split()
    assert suggested[:2] == ["init", "ПАПКА"]
    made = zvit(*[("ws" if word == "ПАПКА" else word) for word in suggested])
    assert made.exit_code == 0, made.output
    assert zvit("-w", "ws", "status", "-p", "2025").exit_code == 0
    english = zvit("--lang", "en", "status", "-p", "2025")
    assert "neither" in english.output and "zvit init FOLDER --from" in english.output


# --- zvit.toml explains every setting --------------------------------------------------


class _Reads(dict[str, Any]):
    """A section of zvit.toml that notes every key read from it."""

    def __init__(self, section: str, values: Mapping[str, Any], seen: set[tuple[str, str]]):
        super().__init__(values)
        self.section, self.seen = section, seen

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add((self.section, key))
        return super().get(key, default)


class _Config(dict[str, Any]):
    def __init__(self, config: Mapping[str, Mapping[str, Any]], seen: set[tuple[str, str]]):
        super().__init__({s: _Reads(s, v, seen) for s, v in config.items()})
        self.seen = seen

    def get(self, section: str, default: Any = None) -> Any:
        if section not in self:
            self[section] = _Reads(section, {}, self.seen)
        return self[section]


def documented(text: str) -> dict[str, dict[str, str]]:
    """Section → key → the example written (commented out) under it."""
    found: dict[str, dict[str, str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
            found[section] = {}
        elif line.startswith("# ") and " = " in line and section:
            key, _, value = line[2:].partition(" = ")
            if key.isidentifier():
                found[section][key] = value
        elif " = " in line and section:
            key, _, value = line.partition(" = ")
            found[section][key] = value
    return found


def uncommented(text: str, sections: tuple[str, ...]) -> str:
    """zvit.toml with every example of ``sections`` taken as written."""
    out, section = [], ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        key = line[2:].partition(" = ")[0]
        if section in sections and line.startswith("# ") and key.isidentifier():
            line = line[2:]
        out.append(line)
    return "\n".join(out)


def _read_every_mail_setting(ws: Workspace, env: Mapping[str, str]) -> None:
    mail_settings.sender(ws)
    mail_settings.own_addresses(ws)
    mail_settings.throttle_seconds(ws)
    mail_settings.smtp_settings(ws, env)
    mail_settings.imap_settings(ws, env)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_zvit_toml_explains_every_mail_setting_zvit_reads(elsewhere: Path, lang: str) -> None:
    assert zvit("--lang", lang, "init", "ws", "--from", "hlukhiv-2020-2026").exit_code == 0
    text = (elsewhere / "ws" / CONFIG).read_text(encoding="utf-8")
    written = documented(text)
    # every example, taken as written, is a setting zvit can use
    (elsewhere / "ws" / "certs").mkdir()
    (elsewhere / "ws" / "certs" / "ca.pem").write_text("-", encoding="utf-8")
    config = tomllib.loads(uncommented(text, ("mail", "imap", "collect")))
    seen: set[tuple[str, str]] = set()
    ws = Workspace(elsewhere / "ws", _Config(config, seen))
    env = {"ZVIT_SMTP_PASSWORD": "x", "ZVIT_IMAP_PASSWORD": "y"}
    _read_every_mail_setting(ws, env)
    assert ws.number("collect", "timeout", 60) == 60
    read = {(s, k) for s, k in seen if s in ("mail", "imap")}
    explained = {(s, k) for s in ("mail", "imap") for k in written[s]}
    assert read == explained, (read - explained, explained - read)
    # each explained: a comment above its example
    for section in ("mail", "imap", "collect"):
        for key in written[section]:
            above = text.split(f"\n# {key} = ", 1)[0].rsplit("\n", 1)[-1]
            assert above.startswith("# ") and len(above) > 20, (section, key)
    # and the file as made is the default: nothing set until the coordinator sets it
    plain = open_workspace(elsewhere / "ws")
    assert plain.setting("mail", "smtp_host") is None
    with pytest.raises(SettingsError, match="E_SETTING_MISSING"):
        mail_settings.smtp_settings(plain, env)


def test_every_setting_is_in_its_section_in_both_languages(elsewhere: Path) -> None:
    assert zvit("init", "uk", "--from", "hlukhiv-2020-2026").exit_code == 0
    assert zvit("--lang", "en", "init", "en", "--from", "hlukhiv-2020-2026").exit_code == 0
    uk = documented((elsewhere / "uk" / CONFIG).read_text(encoding="utf-8"))
    en = documented((elsewhere / "en" / CONFIG).read_text(encoding="utf-8"))
    assert {s: set(k) for s, k in uk.items()} == {s: set(k) for s, k in en.items()}
    assert {"mail", "imap", "collect", "report", "publish"} <= set(uk)


def test_settings_errors_are_coded_and_say_where(elsewhere: Path) -> None:
    assert zvit("init", "ws", "--from", "hlukhiv-2020-2026").exit_code == 0
    base = open_workspace(elsewhere / "ws").config
    cases = {
        "E_SETTING_CHOICE": {"mail": {"smtp_host": "h", "smtp_security": "tls"}},
        "E_SETTING_NUMBER": {"mail": {"smtp_host": "h", "smtp_port": "587"}},
        "E_SETTING_FILE": {"mail": {"smtp_host": "h", "ca_file": "nowhere.pem"}},
        "E_MAIL_PLAIN_LOGIN": {"mail": {"smtp_host": "h", "smtp_security": "plain", "user": "u"}},
        "E_SETTING_ADDRESS": {"mail": {"smtp_host": "h", "from": "nobody"}},
    }
    for code, config in cases.items():
        ws = Workspace(elsewhere / "ws", {**base, **config})
        with pytest.raises(SettingsError) as e:
            mail_settings.sender(ws)
            mail_settings.smtp_settings(ws, {})
        assert e.value.issue.code == code
        assert "[mail]" in e.value.issue.message("uk") and "[mail]" in e.value.issue.message("en")
