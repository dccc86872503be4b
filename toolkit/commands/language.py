"""The language a run of zvit speaks, and click's own words in it.

One rule chooses it, before the command line is even parsed (help and click's errors come
from the parsing itself): ``--lang`` anywhere on the line, else ``ZVIT_LANG``, else the
``[output] lang`` of the workspace the command will use, else Ukrainian.

click says its own words («Usage:», «Error: Invalid value for …», «No such option») through
``gettext`` with the program's text domain, which takes the language from the environment
(``LANGUAGE`` first). For the run, the domain is ``zvit`` — a catalog compiled from
``toolkit/data/messages/click.yaml`` into ``toolkit/data/locale/uk/LC_MESSAGES/zvit.mo`` —
and ``LANGUAGE`` is the chosen language; English needs no catalog (click's words are
English). ``compiled_catalog`` makes the .mo (``uv run python -m toolkit.docs`` writes it;
a test keeps it current). Kept light: the entry point asks for the language before it
loads the rest of zvit."""

from __future__ import annotations

import gettext
import os
import struct
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from toolkit.messages import DEFAULT_LANG, Lang, as_lang, messages
from toolkit.resources import data_path

DOMAIN = "zvit"
CLICK = "click."  # the catalog's keys of click's own words
_SPEAKING: ContextVar[Lang] = ContextVar("zvit_speaking", default=DEFAULT_LANG)


def speaks() -> Lang:
    """The language of the run under way (Ukrainian outside one)."""
    return _SPEAKING.get()


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Help, messages and click's own words in ``lang`` while the block runs; as before
    after it."""
    token = _SPEAKING.set(lang)
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(locale_dir()))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        _SPEAKING.reset(token)
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def chosen_lang(args: list[str]) -> Lang:
    """The language the command line ``args`` asks for, by the rule above. The workspace
    is found as ``toolkit.workspace.find_workspace`` finds it, without loading that module
    (and the plan's modules it needs), so that this costs next to nothing."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return as_lang(args[i + 1])
        if arg.startswith("--lang="):
            return as_lang(arg.partition("=")[2])
    if os.environ.get("ZVIT_LANG"):
        return as_lang(os.environ["ZVIT_LANG"])
    return _workspace_lang(_named_workspace(args))


def _named_workspace(args: list[str]) -> Path:
    for i, arg in enumerate(args):
        if arg in ("-w", "--workspace") and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--workspace="):
            return Path(arg.partition("=")[2])
    return Path.cwd()


def _workspace_lang(start: Path) -> Lang:
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "zvit.toml").is_file():
            try:
                config = tomllib.loads((folder / "zvit.toml").read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                break
            return as_lang(config.get("output", {}).get("lang"))
    return DEFAULT_LANG


def locale_dir() -> Path:
    return data_path("locale")


def catalog_path(lang: Lang = "uk") -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def click_words(lang: Lang = "uk") -> dict[str, str]:
    """click's own words (its English, as gettext is asked for them) → ``lang``. A pair
    of keys ``….one`` / ``….other`` is one plural entry: both English forms, joined by
    NUL, as gettext stores them."""
    found = {k: v for k, v in messages().items() if k.startswith(CLICK)}
    words: dict[str, str] = {}
    for key, texts in found.items():
        if key.endswith(".other"):
            continue
        if key.endswith(".one"):
            other = found[key.removesuffix(".one") + ".other"]
            words[f"{texts['en']}\0{other['en']}"] = f"{texts[lang]}\0{other[lang]}"
        else:
            words[texts["en"]] = texts[lang]
    return words


# Every plural of the catalog is worded so that two forms suffice: one, and any other
# number (the count is never put beside a noun that would need its Ukrainian case).
_HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"


def compiled_catalog(lang: Lang = "uk") -> bytes:
    """The GNU .mo file of click's words in ``lang``: the header, then every entry sorted
    by its original (the order gettext's format asks for)."""
    entries = {"": _HEADER} | click_words(lang)
    keys = sorted(entries, key=lambda k: k.encode())
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)  # the header and both tables of (length, offset)
    table_ids: list[tuple[int, int]] = []
    table_strs: list[tuple[int, int]] = []
    blob = b""
    for chunk, table in [(c, table_ids) for c in ids] + [(c, table_strs) for c in strs]:
        table.append((len(chunk), start + len(blob)))
        blob += chunk + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in table_ids + table_strs)
    return head + tables + blob
