"""The intake gate: format sniffing and safety limits on hostile returned files."""

from __future__ import annotations

import hashlib
import io
import random
import time
import tracemalloc
import warnings
import zipfile
import zlib
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
import yaml

from tests.support import hostile
from tests.support.libreoffice import LibreOffice
from toolkit.errors import ZvitError
from toolkit.gate import partscan, safety, sniff
from toolkit.gate.safety import ensure_defusedxml
from toolkit.gate.sniff import CFB_MAGIC, Limits, inspect
from toolkit.issues import catalog, issue
from toolkit.messages import LANGS
from toolkit.resources import data_path

# generator, format found, codes (exactly), usable
CASES: list[tuple[str, str, list[str], bool]] = [
    ("valid_xlsx", "xlsx", [], True),
    ("ratio_bomb", "xlsx", ["E_ZIP_LIMIT"], False),
    ("lying_size_zip", "xlsx", ["E_ZIP_LIMIT"], False),
    ("overlapping_zip", "xlsx", ["E_CORRUPT"], False),
    ("overlap_bomb", "xlsx", ["E_CORRUPT", "E_ZIP_LIMIT"], False),
    ("too_many_members", "zip", ["E_ZIP_LIMIT"], False),
    ("billion_laughs_shared_strings", "xlsx", ["E_XML_DTD"], False),
    ("billion_laughs_utf16", "xlsx", ["E_XML_DTD"], False),
    ("entity_in_sheet_value", "xlsx", ["E_XML_DTD"], False),
    ("xxe_hostname", "xlsx", ["E_XML_DTD"], False),
    ("dtd_in_media_part", "xlsx", ["E_XML_DTD"], False),
    ("dtd_after_blanks", "xlsx", ["E_XML_DTD"], False),
    ("ebcdic_part", "xlsx", ["E_CORRUPT"], False),
    ("regex_flood", "xlsx", ["E_ZIP_LIMIT"], False),  # 538:1; see test_scan_is_linear
    ("truncated_zip", "zip", ["E_CORRUPT"], False),
    ("bad_crc_zip", "xlsx", ["E_CORRUPT"], False),
    ("no_content_types", "xlsx", ["E_CORRUPT"], False),
    ("xls_minimal", "xls", ["E_FORMAT_XLS"], False),
    ("xls_encrypted", "xls", ["E_FORMAT_XLS", "E_ENCRYPTED"], False),
    ("ods", "ods", ["E_FORMAT_ODS"], False),
    ("xlsb_like", "xlsb", ["E_FORMAT_XLSB"], False),
    ("csv_cp1251", "csv", ["E_FORMAT_CSV"], False),
    ("unicode_text", "csv", ["E_FORMAT_CSV"], False),
    ("html_renamed", "html", ["E_FORMAT_HTML"], False),
    ("spreadsheet_xml_2003", "html", ["E_FORMAT_HTML"], False),
    ("encrypted_ooxml", "encrypted", ["E_ENCRYPTED"], False),
    ("encrypted_container", "encrypted", ["E_ENCRYPTED"], False),
    ("outlook_msg", "msg", ["E_NOT_SPREADSHEET"], False),
    ("zip_of_xlsx", "zip", ["E_NOT_SPREADSHEET"], False),
    ("pdf", "unknown", ["E_NOT_SPREADSHEET"], False),
    ("empty", "unknown", ["E_EMPTY_FILE"], False),
    ("strict_ooxml", "strict_ooxml", ["E_STRICT_OOXML"], False),
    ("xlsm_renamed", "xlsm", ["W_MACRO"], True),
    ("external_link", "xlsx", ["W_EXTERNAL_LINK"], True),
    ("dde_formula", "xlsx", ["W_EXTERNAL_LINK"], True),
    # Not the gate's business: readers reset dimensions, check types and read the epoch.
    ("huge_dimension", "xlsx", [], True),
    ("text_in_number_cell", "xlsx", [], True),
    ("date1904", "xlsx", [], True),
    ("many_styles", "xlsx", ["E_STYLES_LIMIT"], False),
]
BOMBS = [
    "ratio_bomb",
    "lying_size_zip",
    "overlap_bomb",
    "billion_laughs_shared_strings",
    "many_styles",
    "regex_flood",
]


def test_every_generator_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(hostile.GENERATORS)


@pytest.mark.parametrize(("name", "fmt", "codes", "usable"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file(name: str, fmt: str, codes: list[str], usable: bool) -> None:
    data = hostile.GENERATORS[name]()
    start = time.perf_counter()
    result = inspect(data, f"{name}.xlsx")
    elapsed = time.perf_counter() - start
    assert sorted(i.code for i in result.issues) == sorted(codes), result.issues
    assert (result.fmt, result.usable) == (fmt, usable)
    assert (result.size, result.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert all(i.where.file == f"{name}.xlsx" for i in result.issues)
    assert elapsed < 2.0


@pytest.mark.parametrize(("name", "fmt", "codes", "usable"), CASES, ids=[c[0] for c in CASES])
def test_streamed_members_give_the_same_verdict(
    name: str, fmt: str, codes: list[str], usable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small members are inflated in one call, large ones chunk by chunk: the same file
    scanned all by chunks (no member counts as small) gets the same verdict."""
    data = hostile.GENERATORS[name]()
    whole = inspect(data, "x.xlsx")
    monkeypatch.setattr(safety, "WHOLE", -1)
    streamed = inspect(data, "x.xlsx")
    assert (streamed.fmt, streamed.usable) == (whole.fmt, whole.usable) == (fmt, usable)
    assert [(i.code, dict(i.params)) for i in streamed.issues] == [
        (i.code, dict(i.params)) for i in whole.issues
    ]
    assert streamed.inflated == whole.inflated


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize(("name", "fmt", "codes", "usable"), CASES, ids=[c[0] for c in CASES])
def test_zlib_gives_the_same_verdict_as_isal(
    name: str,
    fmt: str,
    codes: list[str],
    usable: bool,
    streamed: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Members are inflated by ISA-L where its wheel is installed, else by zlib: every
    hostile file gets the same verdict from either, inflated whole or in chunks."""
    assert safety._INFLATE is not zlib, "isal is a dependency: it should be installed"
    partscan._SEEN.clear()
    if streamed:
        monkeypatch.setattr(safety, "WHOLE", -1)
    data = hostile.GENERATORS[name]()
    isal = inspect(data, "x.xlsx")
    partscan._SEEN.clear()
    monkeypatch.setattr(safety, "_INFLATE", zlib)
    standard = inspect(data, "x.xlsx")
    assert (standard.fmt, standard.usable) == (isal.fmt, isal.usable) == (fmt, usable)
    assert [(i.code, dict(i.params)) for i in standard.issues] == [
        (i.code, dict(i.params)) for i in isal.issues
    ]
    assert standard.inflated == isal.inflated


@pytest.mark.parametrize(("name", "fmt", "codes", "usable"), CASES, ids=[c[0] for c in CASES])
def test_remembered_members_give_the_same_verdict(
    name: str, fmt: str, codes: list[str], usable: bool
) -> None:
    """The same file again: its small members come from what the scan remembered."""
    partscan._SEEN.clear()
    data = hostile.GENERATORS[name]()
    first = inspect(data, "x.xlsx")
    remembered = len(partscan._SEEN)
    again = inspect(data, "x.xlsx")
    assert len(partscan._SEEN) == remembered  # nothing new: every member was known
    assert (again.fmt, again.usable) == (first.fmt, first.usable) == (fmt, usable)
    assert [(i.code, dict(i.params)) for i in again.issues] == [
        (i.code, dict(i.params)) for i in first.issues
    ]
    assert again.inflated == first.inflated


def test_a_member_is_remembered_with_its_declared_crc() -> None:
    """bad_crc_zip holds valid_xlsx's sheet under another CRC: not the member seen before."""
    partscan._SEEN.clear()
    assert inspect(hostile.GENERATORS["valid_xlsx"](), "good.xlsx").usable
    bad = inspect(hostile.GENERATORS["bad_crc_zip"](), "bad.xlsx")
    assert [i.code for i in bad.issues] == ["E_CORRUPT"] and not bad.usable


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_cost_little_memory(name: str) -> None:
    data = hostile.GENERATORS[name]()
    tracemalloc.start()
    try:
        inspect(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_limits_are_configurable() -> None:
    data = hostile.valid_xlsx()
    tight = {
        "max_file_size": Limits(max_file_size=1000),
        "members": Limits(max_members=3),
        "total_size": Limits(max_total_size=10_000),
        "member_size": Limits(max_member_size=1000),
        "ratio": Limits(max_ratio=2.0, ratio_grace=100),
    }
    for check, limits in tight.items():
        result = inspect(data, limits=limits)
        assert [i.code for i in result.issues] == ["E_ZIP_LIMIT"], check
        assert result.issues[0].params["check"] == check.removeprefix("max_")
    styles = inspect(data, limits=Limits(max_cell_formats=1))
    assert [i.code for i in styles.issues] == ["E_STYLES_LIMIT"]


def test_scan_is_linear() -> None:
    """With the ratio limit out of the way every byte is scanned, still in well under 2 s."""
    start = time.perf_counter()
    result = inspect(hostile.regex_flood(), limits=Limits(max_ratio=10_000))
    assert time.perf_counter() - start < 1.0
    assert (result.issues, result.usable) == ([], True)


def test_the_lying_member_is_not_inflated_past_its_declared_size() -> None:
    (issue_,) = inspect(hostile.lying_size_zip()).issues
    assert dict(issue_.params) == {
        "check": "declared_size",
        "value": 4097,
        "limit": 4096,
        "part": hostile.SHEET,
    }


def test_mutated_files_never_raise() -> None:
    """Cut and flip bytes of a valid form: every result is a verdict, not an exception."""
    rng = random.Random(20250101)
    base = hostile.valid_xlsx()
    for _ in range(300):
        data = bytearray(base)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randrange(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        result = inspect(bytes(data))
        assert result.usable or result.issues


def test_an_unexpected_failure_becomes_e_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(head: bytes) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(sniff, "_text_format", boom)
    (found,) = inspect(b"a;b\n1;2\n", "x.xlsx").issues
    assert found.code == "E_CORRUPT"
    assert found.params["exception"] == "RuntimeError"


def test_short_compound_file_is_never_taken_for_a_path() -> None:
    """olefile reads bytes shorter than 1536 as a file name; we always hand it a stream."""
    result = inspect(CFB_MAGIC + b"/etc/hostname")
    assert [i.code for i in result.issues] == ["E_CORRUPT"]


def test_extension_is_ignored() -> None:
    for name in ("form.xlsx", "form.xls", "form.csv", "form"):
        assert inspect(hostile.csv_cp1251(), name).fmt == "csv"
        assert inspect(hostile.valid_xlsx(), name).usable


def test_generators_are_deterministic() -> None:
    for name, make in hostile.GENERATORS.items():
        if name not in ("ratio_bomb", "overlap_bomb"):
            assert make() == make(), name


# --- the fixtures behave as the notes say the real thing does --------------------------------


def _openpyxl(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, keep_links=False)


def test_fixture_billion_laughs_is_refused_by_hardened_openpyxl() -> None:
    ensure_defusedxml()
    with pytest.raises(ValueError, match="Unable to read workbook"):
        _openpyxl(hostile.billion_laughs_shared_strings())


def test_fixture_strict_ooxml_reads_as_zero_sheets_in_openpyxl() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert _openpyxl(hostile.strict_ooxml()).sheetnames == []


def test_fixture_encrypted_ooxml_decrypts_to_the_form() -> None:
    office = msoffcrypto.OfficeFile(io.BytesIO(hostile.encrypted_ooxml()))
    office.load_key(password="secret")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert plain.getvalue() == hostile.valid_xlsx()
    assert msoffcrypto.OfficeFile(io.BytesIO(hostile.encrypted_container())).is_encrypted()


def test_fixture_bombs_really_inflate() -> None:
    with zipfile.ZipFile(io.BytesIO(hostile.ratio_bomb(mib=32))) as zf:
        info = zf.getinfo(hostile.SHEET)
        total, crc = 0, 0
        with zf.open(info) as member:
            while chunk := member.read(1 << 20):
                total, crc = total + len(chunk), zlib.crc32(chunk, crc)
    assert total == info.file_size > 32 * 1024 * 1024
    assert crc == info.CRC
    with (
        zipfile.ZipFile(io.BytesIO(hostile.lying_size_zip(mib=1))) as zf,
        pytest.raises(zipfile.BadZipFile, match="CRC"),
    ):
        zf.read(hostile.SHEET)


# --- files saved by a real spreadsheet program -----------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "codes"), [("xlsx", []), ("ods", ["E_FORMAT_ODS"]), ("xls", ["E_FORMAT_XLS"])]
)
def test_libreoffice_saved_form(
    libreoffice: LibreOffice, tmp_path: Path, fmt: str, codes: list[str]
) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(hostile.valid_xlsx())
    out = tmp_path / "out" / f"filled.{fmt}"
    out.parent.mkdir()
    libreoffice.fill(form, out, {("Звіт", "C2"): "частково", ("Звіт", "D2"): 7}, fmt=fmt)
    result = inspect(out.read_bytes(), out.name)
    assert [i.code for i in result.issues] == codes
    assert result.fmt == fmt and result.usable is (fmt == "xlsx")


# --- the catalog -------------------------------------------------------------------------------

FILE_CODES = list(yaml.safe_load(data_path("codes").joinpath("file.yaml").read_text("utf-8")))


@pytest.mark.parametrize("code", FILE_CODES)
def test_code_renders_in_both_languages(code: str) -> None:
    info = catalog()[code]
    params = {name: f"<{name}>" for name in info.params}
    found = issue(code, None, **params)
    for lang in LANGS:
        assert info.text("title", lang)
        message = found.message(lang)
        assert "{" not in message and "}" not in message, message
        for name in params:
            used = name in info.text("what", lang) + info.text("fix", lang)
            assert used or name in ("part", "exception"), (code, lang, name)
    uk = found.message("uk")
    assert any(c in uk for c in "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"), uk
    assert not set(found.message("en")) & set("ієїґ"), code


def test_every_code_the_gate_emits_is_in_file_yaml() -> None:
    emitted = set(sniff.FORMAT_CODES.values()) | {code for c in CASES for code in c[2]}
    assert emitted <= set(FILE_CODES)


def test_ensure_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_defusedxml()
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ZvitError, match="defusedxml"):
        ensure_defusedxml()


def test_a_part_that_declares_anything_goes_through_defusedxml() -> None:
    from defusedxml import DTDForbidden, EntitiesForbidden

    from toolkit.validate.parts import parse_xml

    plain = b'<?xml version="1.0" encoding="UTF-8"?><a x="1"><b>&amp;&#1234;</b></a>'
    assert parse_xml(plain).find("b").text == "&\u04d2"  # type: ignore[union-attr]
    declared = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        parse_xml(declared)
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        parse_xml(b"\xef\xbb\xbf" + declared)
    wide = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'
    with pytest.raises((DTDForbidden, EntitiesForbidden)):  # "<!" is "<\0!" in UTF-16
        parse_xml(wide.encode("utf-16-le"))
    named = b"<a><n>'\xd0\x97\xd0\xb2\xd1\x96\xd1\x82'!$A$1</n></a>"  # a "!", no "<!"
    assert parse_xml(named).findtext("n") == "'Звіт'!$A$1"
