"""Attachments out of real-world mail: encodings of names, forwards, Outlook containers,
mailbox formats. Messages are built byte by byte where a client's quirk must be exact."""

from __future__ import annotations

import base64
import mailbox
import re
import struct
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.support.mailfiles import (
    XLSX_TYPE,
    build_msg,
    build_tnef,
    message,
    msg_tree,
    raw_with_part,
    xlsx_bytes,
)
from toolkit.issues import catalog
from toolkit.mailio.parse import (
    attachments_from_message,
    clean_name,
    iter_messages,
    unique,
)
from toolkit.resources import data_path

XLSX = xlsx_bytes("mailparse")
B64 = base64.b64encode(XLSX)
NAME = "Звіт_квітень_2025.xlsx"


def codes(issues: list) -> list[str]:
    return [i.code for i in issues]


def names_of(raw: bytes, **kw: int) -> list[str]:
    found, issues = attachments_from_message(raw, "eml:test", **kw)
    assert not [i for i in issues if i.severity == "error"], issues
    return [a.filename for a in found]


# ---------------------------------------------------------------- plain attachment


def test_plain_attachment_carries_message_metadata() -> None:
    msg = message(
        subject="Звіт за квітень",
        sender="Іван Петренко <Ivan.Petrenko@Example.gov.ua>",
        attachments=[(NAME, XLSX, XLSX_TYPE), ("лист.pdf", b"%PDF-1.4", "application/pdf")],
        message_id="<abc-1@example.gov.ua>",
    )
    found, issues = attachments_from_message(msg.as_bytes(), "eml:/in/1.eml")
    assert issues == []
    [att] = found
    assert att.data == XLSX
    assert att.filename == NAME
    assert att.content_type == XLSX_TYPE
    assert att.message_id == "<abc-1@example.gov.ua>"
    assert att.sender == "ivan.petrenko@example.gov.ua"
    assert att.subject == "Звіт за квітень"
    assert att.date == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert att.date is not None and att.date.tzinfo is not None
    assert (att.source, att.depth, att.via) == ("eml:/in/1.eml", 0, "")
    assert len(att.sha256) == 64


def test_what_is_kept_and_what_is_skipped() -> None:
    msg = message(
        attachments=[
            ("a.xlsx", XLSX, XLSX_TYPE),
            ("b.ods", b"PK\x03\x04ods", "application/octet-stream"),
            ("c.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "application/octet-stream"),
            ("d.csv", "№;сума\n1;2\n".encode(), "text/csv"),
            ("e.zip", b"PK\x03\x04zip", "application/zip"),
            ("f.xlsb", b"PK\x03\x04bin", "application/octet-stream"),
            ("unnamed-by-magic", XLSX, "application/octet-stream"),
            ("photo.jpg", b"\xff\xd8\xff\xe0jpeg", "image/jpeg"),
            ("letter.docx", b"PK\x03\x04docx", "application/octet-stream"),
            ("scan.pdf", b"%PDF-1.7", "application/pdf"),
            ("notes.txt", b"hello", "text/plain"),
        ]
    )
    assert names_of(msg.as_bytes()) == [
        "a.xlsx",
        "b.ods",
        "c.xls",
        "d.csv",
        "e.zip",
        "f.xlsb",
        "unnamed-by-magic",
    ]


def test_attachment_without_a_name_kept_by_content_type() -> None:
    raw = raw_with_part(b"Content-Type: " + XLSX_TYPE.encode(), B64)
    found, _ = attachments_from_message(raw, "eml:x")
    assert [(a.filename, a.data) for a in found] == [("", XLSX)]


# ---------------------------------------------------------------- file name encodings


def _encoded_word(text: str, charset: str, enc: str) -> bytes:
    data = text.encode(charset)
    if enc == "B":
        body = base64.b64encode(data).decode()
    else:
        body = "".join(f"={b:02X}" if b > 127 or chr(b) in "=?_ " else chr(b) for b in data)
    return f"=?{charset}?{enc}?{body}?=".encode()


@pytest.mark.parametrize(
    ("charset", "enc"),
    [("utf-8", "B"), ("utf-8", "Q"), ("windows-1251", "B"), ("windows-1251", "Q"), ("koi8-u", "B")],
)
def test_rfc2047_names(charset: str, enc: str) -> None:
    word = _encoded_word(NAME, charset, enc)
    headers = (
        b'Content-Type: application/octet-stream; name="' + word + b'"\r\n'
        b'Content-Disposition: attachment; filename="' + word + b'"'
    )
    assert names_of(raw_with_part(headers, B64)) == [NAME]


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-u"])
def test_rfc2231_names(charset: str) -> None:
    encoded = quote(NAME.encode(charset), safe="")
    headers = (
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=" + charset.encode() + b"''" + encoded.encode()
    )
    assert names_of(raw_with_part(headers, B64)) == [NAME]


def test_rfc2231_continuations() -> None:
    encoded = quote(NAME.encode("utf-8"), safe="")
    first, second = encoded[:21], encoded[21:]
    headers = (
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment;\r\n filename*0*=utf-8''"
        + first.encode()
        + b";\r\n filename*1*="
        + second.encode()
    )
    assert names_of(raw_with_part(headers, B64)) == [NAME]


@pytest.mark.parametrize("charset", ["cp1251", "koi8_u", "utf-8"])
def test_raw_8bit_names(charset: str) -> None:
    """Some clients put the name into the header as raw bytes of the local code page."""
    raw_name = NAME.encode(charset)
    headers = (
        b'Content-Type: application/octet-stream; name="' + raw_name + b'"\r\n'
        b'Content-Disposition: attachment; filename="' + raw_name + b'"'
    )
    assert names_of(raw_with_part(headers, B64)) == [NAME]


def test_raw_8bit_subject_decoded() -> None:
    headers = b'Content-Type: application/octet-stream; name="a.xlsx"'
    raw = raw_with_part(headers, B64, subject="Звіт Сумської ОДА".encode("cp1251"))
    [att], _ = attachments_from_message(raw, "eml:x")
    assert att.subject == "Звіт Сумської ОДА"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../../etc/cron.d/x.xlsx", "x.xlsx"),
        ("..\\..\\Windows\\System32\\x.xlsx", "x.xlsx"),
        ("/abs/path/Звіт.xlsx", "Звіт.xlsx"),
        ("C:\\Users\\Іван\\Звіт.xlsx", "Звіт.xlsx"),
        ("..", ""),
        ("con.xlsx", "_con.xlsx"),
        ("a\x00b\x07.xlsx", "ab.xlsx"),
        ("Зви\u0306т.xlsx", "Звйт.xlsx"),  # NFD from macOS becomes NFC
    ],
)
def test_names_are_cleaned_to_a_base_name(given: str, shown: str) -> None:
    assert clean_name(given) == shown


def test_traversal_name_in_a_real_message() -> None:
    msg = message(attachments=[("../../etc/x.xlsx", XLSX, XLSX_TYPE)])
    assert names_of(msg.as_bytes()) == ["x.xlsx"]


# ---------------------------------------------------------------- forwarded mail


def _forward(inner: bytes, subject: str = "Fwd: звіт", as_attachment: bool = True) -> bytes:
    outer = message(subject=subject, sender="Секретар <office@example.gov.ua>")
    if as_attachment:
        outer.add_attachment(inner, maintype="message", subtype="rfc822")
    return outer.as_bytes()


def test_forwarded_message_depth_one() -> None:
    inner = message(subject="Звіт", attachments=[(NAME, XLSX, XLSX_TYPE)]).as_bytes()
    found, issues = attachments_from_message(_forward(inner), "eml:fwd")
    assert issues == []
    [att] = found
    assert att.data == XLSX and att.filename == NAME
    assert att.depth == 1
    assert att.via == "rfc822:Звіт"
    assert att.sender == "office@example.gov.ua"  # the message that arrived


def test_forward_as_plain_message_rfc822_part() -> None:
    """The usual form (7bit, parsed as a nested message), unlike EmailMessage's base64."""
    inner = message(subject="Звіт", attachments=[(NAME, XLSX, XLSX_TYPE)]).as_bytes()
    raw = (
        b"From: office@example.gov.ua\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=OUT\r\n\r\n--OUT\r\n"
        b"Content-Type: text/plain\r\n\r\nsee below\r\n--OUT\r\n"
        b"Content-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--OUT--\r\n"
    )
    [att], issues = attachments_from_message(raw, "eml:x")
    assert issues == [] and (att.data, att.depth) == (XLSX, 1)


def test_forwarded_message_is_guarded_like_the_outer_one() -> None:
    body = b"x\r\n"
    for i in range(200):
        body = f"--B{i}\r\nContent-Type: multipart/mixed; boundary=B{i + 1}\r\n\r\n".encode() + body
    inner = b"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=B0\r\n\r\n" + body
    found, issues = attachments_from_message(_forward(inner), "eml:x")
    assert found == [] and codes(issues) == ["W_MAIL_DECODE_DEFECT"]
    assert "multipart" in issues[0].params["detail"]


def test_empty_spreadsheet_attachment_is_kept() -> None:
    """An empty "form" is a client failure the unit should hear about: not dropped."""
    msg = message(attachments=[(NAME, b"", XLSX_TYPE)])
    [att], _ = attachments_from_message(msg.as_bytes(), "eml:x")
    assert att.data == b"" and att.filename == NAME


def test_eml_attached_as_octet_stream_is_read_as_a_forward() -> None:
    inner = message(attachments=[(NAME, XLSX, XLSX_TYPE)]).as_bytes()
    outer = message(attachments=[("Re звіт.eml", inner, "application/octet-stream")])
    [att], _ = attachments_from_message(outer.as_bytes(), "eml:x")
    assert (att.filename, att.depth, att.via) == (NAME, 1, "rfc822:Re звіт.eml")


def _nested(levels: int) -> bytes:
    raw = message(subject="level 0", attachments=[(NAME, XLSX, XLSX_TYPE)]).as_bytes()
    for level in range(1, levels + 1):
        raw = _forward(raw, subject=f"level {level}")
    return raw


def test_depth_limit() -> None:
    raw = _nested(5)
    found, issues = attachments_from_message(raw, "eml:deep", max_depth=3)
    assert found == []
    assert codes(issues) == ["W_MAIL_DEPTH_LIMIT"]
    assert issues[0].params["depth"] == 4
    found, issues = attachments_from_message(raw, "eml:deep", max_depth=5)
    assert [a.depth for a in found] == [5] and issues == []


def test_deep_mime_nesting_does_not_raise() -> None:
    body = b"--B0\r\nContent-Type: text/plain\r\n\r\nx\r\n--B0--\r\n"
    for i in range(1, 3000):
        body = (
            f"--B{i}\r\nContent-Type: multipart/mixed; boundary=B{i - 1}\r\n\r\n".encode()
            + body
            + f"--B{i}--\r\n".encode()
        )
    raw = b"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=B2999\r\n\r\n" + body
    started = time.monotonic()
    found, issues = attachments_from_message(raw, "eml:x")
    assert time.monotonic() - started < 0.5
    assert found == [] and codes(issues) == ["E_MAIL_UNREADABLE"]


# ---------------------------------------------------------------- winmail.dat (TNEF)


def test_winmail_dat_with_xlsx_inside() -> None:
    tnef = build_tnef([(NAME, XLSX), ("лист.rtf", b"{\\rtf1}")])
    msg = message(attachments=[("winmail.dat", tnef, "application/ms-tnef")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert issues == []
    [att] = found
    assert (att.filename, att.data, att.depth, att.via) == (NAME, XLSX, 0, "winmail.dat")


def test_tnef_data_kept_exact_when_also_in_mapi() -> None:
    """tnefparse strips trailing NULs from the MAPI copy; a zip ends with two of them."""
    assert XLSX.endswith(b"\x00\x00")
    tnef = build_tnef([(NAME, XLSX)], data_in_mapi=True)
    msg = message(attachments=[("winmail.dat", tnef, "application/ms-tnef")])
    [att], _ = attachments_from_message(msg.as_bytes(), "eml:x")
    assert att.data == XLSX


def test_tnef_short_title_in_cp1251_used_without_long_name() -> None:
    tnef = build_tnef([(NAME, XLSX)])
    # drop the MAPI attachment attribute (long name): only the cp1251 title remains
    cut = tnef.rindex(struct.pack("<BH", 2, 0x9005))
    [att], _ = attachments_from_message(
        message(attachments=[("winmail.dat", tnef[:cut], "application/ms-tnef")]).as_bytes(),
        "eml:x",
    )
    assert att.filename == NAME


def test_tnef_detected_by_content_without_name_or_type() -> None:
    msg = message(
        attachments=[("attachment", build_tnef([(NAME, XLSX)]), "application/octet-stream")]
    )
    [att], _ = attachments_from_message(msg.as_bytes(), "eml:x")
    assert att.via == "tnef:attachment"


@pytest.mark.parametrize(
    "payload",
    [
        b"\x78\x9f\x3e\x22\x01\x00" + b"\x02\x05\x90\x06\x00",  # truncated attribute
        b"\x78\x9f\x3e\x22garbage" * 3,
        b"not tnef at all",
    ],
)
def test_broken_tnef_is_an_issue(payload: bytes) -> None:
    msg = message(attachments=[("winmail.dat", payload, "application/ms-tnef")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert found == []
    assert codes(issues) == ["E_TNEF_UNREADABLE"]


def test_tnef_without_attachments_is_fine() -> None:
    """Outlook also sends winmail.dat holding only the formatted body."""
    msg = message(attachments=[("winmail.dat", build_tnef([]), "application/ms-tnef")])
    assert attachments_from_message(msg.as_bytes(), "eml:x") == ([], [])


def test_hostile_tnef_property_count_is_refused_fast() -> None:
    """tnefparse trusts the count of MAPI properties; 4 billion must not loop."""
    tnef = build_tnef([(NAME, XLSX)])
    at = tnef.rindex(struct.pack("<BH", 2, 0x9005)) + 9
    hostile = tnef[:at] + struct.pack("<I", 0xFFFFFFFF) + tnef[at + 4 :]
    msg = message(attachments=[("winmail.dat", hostile, "application/ms-tnef")])
    started = time.monotonic()
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert time.monotonic() - started < 2
    assert found == [] and codes(issues) == ["E_TNEF_UNREADABLE"]


def test_tnef_with_many_tiny_attributes_is_refused_fast() -> None:
    header = build_tnef([])
    tiny = struct.pack("<BHHI", 1, 0x8004, 1, 0) + b"\x00\x00"
    hostile = header + tiny * 200_000 + build_tnef([(NAME, XLSX)])[len(header) :]
    msg = message(attachments=[("winmail.dat", hostile, "application/ms-tnef")])
    started = time.monotonic()
    _, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert time.monotonic() - started < 3
    assert codes(issues) == ["E_TNEF_UNREADABLE"]


# ---------------------------------------------------------------- Outlook .msg


def test_msg_attachment_with_xlsx() -> None:
    msg_file = build_msg("Re: звіт", [(NAME, XLSX)])
    msg = message(attachments=[("Reply.msg", msg_file, "application/vnd.ms-outlook")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert issues == []
    [att] = found
    assert (att.filename, att.data, att.depth, att.via) == (NAME, XLSX, 1, "msg:Reply.msg")


def test_msg_with_embedded_message() -> None:
    inner = msg_tree("Первинний звіт", [("inner.xlsx", XLSX)], top=False)
    msg_file = build_msg("Fwd", [("outer.xlsx", XLSX)], embedded=[inner])
    msg = message(attachments=[("Fwd.msg", msg_file, "application/octet-stream")])
    found, _ = attachments_from_message(msg.as_bytes(), "eml:x")
    assert [(a.filename, a.depth, a.via) for a in found] == [
        ("outer.xlsx", 1, "msg:Fwd.msg"),
        ("inner.xlsx", 2, "msg:Fwd.msg > msg:Первинний звіт"),
    ]
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x", max_depth=1)
    assert [a.filename for a in found] == ["outer.xlsx"]
    assert codes(issues) == ["W_MAIL_DEPTH_LIMIT"]


def test_msg_detected_by_content() -> None:
    msg = message(
        attachments=[("noname", build_msg("x", [(NAME, XLSX)]), "application/octet-stream")]
    )
    [att], _ = attachments_from_message(msg.as_bytes(), "eml:x")
    assert att.filename == NAME and att.via == "msg:noname"


@pytest.mark.parametrize(
    "payload",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 short",  # olefile would take short bytes as a path
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 4000,
    ],
)
def test_broken_msg_is_an_issue(payload: bytes) -> None:
    msg = message(attachments=[("Reply.msg", payload, "application/vnd.ms-outlook")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert found == []
    assert codes(issues) == ["E_MSG_UNREADABLE"]


def test_non_cfb_named_msg_is_kept_for_sniffing() -> None:
    """A workbook renamed to .msg is not an Outlook message: the caller sniffs it."""
    msg = message(attachments=[("Reply.msg", XLSX, "application/vnd.ms-outlook")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert [a.data for a in found] == [XLSX] and issues == []


def test_msg_item_without_data_is_reported() -> None:
    tree = msg_tree("x", [("link.xlsx", b"")])
    from tests.support.mailfiles import write_cfb

    msg = message(attachments=[("a.msg", write_cfb(tree), "application/vnd.ms-outlook")])
    found, issues = attachments_from_message(msg.as_bytes(), "eml:x")
    assert found == [] and codes(issues) == ["W_CONTAINER_ITEM_UNREAD"]


# ---------------------------------------------------------------- limits and damage


def test_message_size_cap() -> None:
    raw = message(attachments=[(NAME, XLSX, XLSX_TYPE)]).as_bytes()
    found, issues = attachments_from_message(raw, "eml:x", max_message_bytes=1000)
    assert found == [] and codes(issues) == ["E_MAIL_TOO_LARGE"]
    assert issues[0].params == {"size": len(raw), "limit": 1000}
    assert "1000" in issues[0].message("uk")


def test_attachment_size_cap() -> None:
    raw = message(attachments=[(NAME, XLSX, XLSX_TYPE), ("small.csv", b"a;b", "text/csv")])
    found, issues = attachments_from_message(raw.as_bytes(), "eml:x", max_attachment_bytes=100)
    assert [a.filename for a in found] == ["small.csv"]
    assert codes(issues) == ["E_ATTACHMENT_TOO_LARGE"]
    assert issues[0].message("uk").startswith("Файл «eml:x»: вкладення «" + NAME)


def test_bad_base64_is_a_warning() -> None:
    headers = b'Content-Type: application/octet-stream; name="a.xlsx"'
    found, issues = attachments_from_message(raw_with_part(headers, B64[:-3]), "eml:x")
    assert [a.filename for a in found] == ["a.xlsx"]
    assert codes(issues) == ["W_MAIL_DECODE_DEFECT"]


@pytest.mark.parametrize("raw", [b"", b"\x00\x01\x02binary junk", XLSX])
def test_not_a_message(raw: bytes) -> None:
    found, issues = attachments_from_message(raw, "eml:x")
    assert found == [] and codes(issues) == ["E_MAIL_UNREADABLE"]


def test_broken_headers_do_not_raise() -> None:
    raw = (
        b'From: "unterminated <@@>\r\nDate: 32 Foo 2025 99:99\r\nSubject: =?x?Q?broken\r\n'
        b"Message-ID: \r\nContent-Type: application/octet-stream; name=a.xlsx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + B64
    )
    [att], _ = attachments_from_message(raw, "eml:x")
    assert att.date is None and att.message_id is None and att.data == XLSX
    assert att.sender == ""


def test_raw_8bit_display_name_in_from() -> None:
    raw = (
        b"From: \xc2\xe0\xf1\xff <Vasyl@Example.com>\r\n"
        b"Content-Type: application/octet-stream; name=a.xlsx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + B64
    )
    [att], _ = attachments_from_message(raw, "eml:x")
    assert att.sender == "vasyl@example.com"


# ---------------------------------------------------------------- mailboxes


def _mbox(path: Path, raws: list[bytes]) -> None:
    box = mailbox.mbox(path)
    for raw in raws:
        box.add(raw)
    box.flush()
    box.close()


def test_mbox_with_several_messages(tmp_path: Path) -> None:
    raws = [
        message(
            subject=f"Звіт {i}",
            attachments=[(f"{i}.xlsx", XLSX, XLSX_TYPE)],
            message_id=f"<m{i}@x>",
        ).as_bytes()
        for i in range(3)
    ]
    path = tmp_path / "Inbox"  # no extension: told by content
    _mbox(path, raws)
    got = list(iter_messages(path))
    assert [src for _, src in got] == [f"mbox:{path}#{i}" for i in range(3)]
    names = [attachments_from_message(raw, src)[0][0].filename for raw, src in got]
    assert names == ["0.xlsx", "1.xlsx", "2.xlsx"]
    assert list(tmp_path.iterdir()) == [path]  # the snapshot is gone


def test_maildir(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir")
    keys = [
        box.add(message(attachments=[(f"{i}.xlsx", XLSX, XLSX_TYPE)]).as_bytes()) for i in range(2)
    ]
    seen_msg = mailbox.MaildirMessage(
        message(attachments=[("old.xlsx", XLSX, XLSX_TYPE)]).as_bytes()
    )
    seen_msg.set_subdir("cur")
    seen_msg.add_flag("S")
    keys.append(box.add(seen_msg))
    box.close()
    got = list(iter_messages(tmp_path / "Maildir"))
    assert len(got) == 3
    assert all(
        re.fullmatch(rf"maildir:{re.escape(str(tmp_path))}/Maildir/(new|cur)/.+", s) for _, s in got
    )
    assert sum("/cur/" in s for _, s in got) == 1


def test_eml_file_and_folder(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"{i}.eml").write_bytes(
            message(attachments=[(f"{i}.xlsx", XLSX, XLSX_TYPE)]).as_bytes()
        )
    assert [s for _, s in iter_messages(tmp_path / "0.eml")] == [f"eml:{tmp_path}/0.eml"]
    assert [s for _, s in iter_messages(tmp_path)] == [
        f"eml:{tmp_path}/0.eml",
        f"eml:{tmp_path}/1.eml",
    ]


def test_duplicate_message_gives_identical_keys(tmp_path: Path) -> None:
    raw = message(attachments=[(NAME, XLSX, XLSX_TYPE)], message_id="<dup@x>").as_bytes()
    _mbox(tmp_path / "box", [raw, raw])
    found = [
        a for r, s in iter_messages(tmp_path / "box") for a in attachments_from_message(r, s)[0]
    ]
    assert len(found) == 2
    assert found[0].source != found[1].source
    assert unique(found) == [found[0]]


# ---------------------------------------------------------------- the catalog


def test_mail_codes_are_complete() -> None:
    with data_path("codes/mail.yaml").open(encoding="utf-8") as f:
        entries = yaml.safe_load(f)
    cat = catalog()
    for code, entry in entries.items():
        info = cat[code]
        assert info.topic == "mail"
        for lang in ("uk", "en"):
            text = entry[lang]["what"] + entry[lang]["fix"]
            assert set(re.findall(r"{(\w+)}", text)) <= set(info.params), (code, lang)
            assert entry[lang]["title"]
