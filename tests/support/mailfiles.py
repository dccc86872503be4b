"""Builders for the mail fixtures the tests need: raw messages, a TNEF (winmail.dat) stream
and an Outlook .msg compound file.

Nothing here is a mock: the bytes follow the published formats (RFC 5322/2045, MS-OXTNEF,
MS-CFB, MS-OXMSG) closely enough that real readers (email, tnefparse, olefile) parse them.
Neither tnefparse nor olefile can write, so both writers are small and built here in code
rather than committed as opaque binary fixtures."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import xlsxwriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(text: str = "звіт") -> bytes:
    """A real one-sheet workbook (its content marks which test made it)."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("Форма").write_string(0, 0, text)
    book.close()
    return buf.getvalue()


def message(
    subject: str = "Звіт",
    sender: str = "Виконавець <unit@example.gov.ua>",
    attachments: list[tuple[str, bytes, str]] | None = None,
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "coordinator@example.gov.ua"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime(2025, 3, 14, 9, 30, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="example.gov.ua")
    msg.set_content("Добрий день, форма у вкладенні.")
    for name, data, ctype in attachments or []:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def raw_with_part(headers: bytes, payload_b64: bytes, subject: bytes = b"Raw") -> bytes:
    """A message whose one attachment has hand-written headers (for encodings that
    EmailMessage would never produce, such as raw 8-bit cp1251 names)."""
    return (
        b"From: unit@example.gov.ua\r\nTo: c@example.gov.ua\r\nSubject: " + subject + b"\r\n"
        b"Message-ID: <raw-1@example.gov.ua>\r\nDate: Fri, 14 Mar 2025 09:30:00 +0200\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BOUND\r\n\r\n"
        b"--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
        b"--BOUND\r\n"
        + headers
        + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + payload_b64
        + b"\r\n--BOUND--\r\n"
    )


# ---------------------------------------------------------------- TNEF (MS-OXTNEF)

TNEF_SIGNATURE = 0x223E9F78


def _tnef_attr(level: int, attr_id: int, attr_type: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return (
        struct.pack("<BHHI", level, attr_id, attr_type, len(data))
        + data
        + struct.pack("<H", checksum)
    )


def _mapi_unicode(prop_id: int, text: str) -> bytes:
    value = (text + "\x00").encode("utf-16-le")
    pad = (-len(value)) % 4
    return struct.pack("<HHII", 0x001F, prop_id, 1, len(value)) + value + b"\x00" * pad


def _mapi_binary(prop_id: int, data: bytes) -> bytes:
    pad = (-len(data)) % 4
    return struct.pack("<HHII", 0x0102, prop_id, 1, len(data)) + data + b"\x00" * pad


def build_tnef(
    files: list[tuple[str, bytes]], codepage: int = 1251, data_in_mapi: bool = False
) -> bytes:
    """A winmail.dat with ``files`` attached: the 8-bit title in ``codepage`` and the long
    name as a Unicode MAPI property, as Outlook writes them. ``data_in_mapi`` also puts
    the data into the MAPI properties (PidTagAttachDataBinary), as some writers do."""
    out = struct.pack("<IH", TNEF_SIGNATURE, 0x0001)
    out += _tnef_attr(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attr(1, 0x9007, 0x0006, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _tnef_attr(1, 0x8008, 0x0007, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    for name, data in files:
        out += _tnef_attr(2, 0x9002, 0x0006, struct.pack("<HIIHHI", 1, 0xFFFFFFFF, 0, 0, 0, 0))
        out += _tnef_attr(2, 0x8010, 0x0001, name.encode(f"cp{codepage}", "replace") + b"\x00")
        out += _tnef_attr(2, 0x800F, 0x0006, data)
        props = _mapi_unicode(0x3707, name)
        if data_in_mapi:
            props += _mapi_binary(0x3701, data)
        props = struct.pack("<I", 2 if data_in_mapi else 1) + props
        out += _tnef_attr(2, 0x9005, 0x0006, props)
    return out


# ---------------------------------------------------------------- CFB (MS-CFB) writer

Tree = dict[str, "bytes | Tree"]
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data  # kind: 1 storage, 2 stream, 5 root
        self.children: list[_Entry] = []
        self.left = self.right = self.child = _NOSTREAM
        self.start, self.size = _END, 0


def _sort_key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()  # MS-CFB 2.6.4: length first, then case-folded


def write_cfb(tree: Tree) -> bytes:
    """A version-3 compound file holding ``tree`` (storages are dicts, streams bytes)."""
    root = _Entry("Root Entry", 5)
    entries = [root]
    _add_children(root, tree, entries)
    for e in entries:
        _link_siblings(e, entries)
    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(data: bytes, kind: int | None = None) -> int:
        count = max(1, -(-len(data) // _SECTOR))
        first = len(sectors)
        for i in range(count):
            sectors.append(data[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\x00"))
            fat.append(kind if kind is not None else (first + i + 1 if i < count - 1 else _END))
        return first

    mini_stream, minifat = b"", []
    for e in entries:
        if e.kind != 2:
            continue
        e.size = len(e.data)
        if not e.data:
            e.start = _END
        elif len(e.data) < _CUTOFF:
            n = -(-len(e.data) // _MINI)
            e.start = len(mini_stream) // _MINI
            minifat += [e.start + i + 1 for i in range(n - 1)] + [_END]
            mini_stream += e.data.ljust(n * _MINI, b"\x00")
        else:
            e.start = chain(e.data)
    root.size = len(mini_stream)
    root.start = chain(mini_stream) if mini_stream else _END
    minifat_start = chain(b"".join(struct.pack("<I", v) for v in minifat)) if minifat else _END
    dir_bytes = b"".join(_dir_entry(e) for e in entries)
    dir_bytes += _dir_entry(None) * ((-len(entries)) % (_SECTOR // 128))
    dir_start = chain(dir_bytes)
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (_SECTOR // 4):
        n_fat += 1
    fat_start = len(sectors)
    fat += [_FATSECT] * n_fat
    sectors += [b""] * n_fat
    fat += [_FREE] * (n_fat * (_SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    for i in range(n_fat):
        sectors[fat_start + i] = fat_bytes[i * _SECTOR : (i + 1) * _SECTOR]
    difat = [fat_start + i for i in range(n_fat)] + [_FREE] * (109 - n_fat)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            n_fat,
            dir_start,
            0,
            _CUTOFF,
            minifat_start,
            1 if minifat else 0,
            _END,
            0,
        )
        + b"".join(struct.pack("<I", v) for v in difat)
    )
    return header + b"".join(sectors)


def _add_children(parent: _Entry, tree: Tree, entries: list[_Entry]) -> None:
    for name, value in tree.items():
        if isinstance(value, dict):
            child = _Entry(name, 1)
            entries.append(child)
            _add_children(child, value, entries)
        else:
            child = _Entry(name, 2, value)
            entries.append(child)
        parent.children.append(child)


def _link_siblings(parent: _Entry, entries: list[_Entry]) -> None:
    """Children form a binary search tree (all black: readers follow links, not colours)."""
    kids = sorted(parent.children, key=_sort_key)

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        node = kids[mid]
        node.left, node.right = build(lo, mid), build(mid + 1, hi)
        return entries.index(node)

    parent.child = build(0, len(kids))


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:
        return (
            b"\x00" * 64
            + struct.pack("<HBB", 0, 0, 0)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM)
            + b"\x00" * 36
            + struct.pack("<IQ", 0, 0)
        )
    name = (e.name + "\x00").encode("utf-16-le")
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB", len(name), e.kind, 1)
        + struct.pack("<III", e.left, e.right, e.child)
        + b"\x00" * 16
        + struct.pack("<IQQ", 0, 0, 0)
        + struct.pack("<IQ", e.start, e.size)
    )


# ---------------------------------------------------------------- Outlook .msg (MS-OXMSG)


def _utf16(text: str) -> bytes:
    return (text + "\x00").encode("utf-16-le")


def msg_tree(
    subject: str,
    files: list[tuple[str, bytes]],
    embedded: list[Tree] | None = None,
    top: bool = True,
) -> Tree:
    """The storages of a message: its subject, one attachment storage per file (long and
    short name, data) and one per embedded message (``__substg1.0_3701000D``)."""
    n_att = len(files) + len(embedded or [])
    header = b"\x00" * 8 + (
        struct.pack("<IIII", 0, n_att, 0, n_att) + b"\x00" * 8
        if top
        else struct.pack("<IIII", 0, n_att, 0, n_att)
    )
    tree: Tree = {
        "__properties_version1.0": header,
        "__substg1.0_0037001F": _utf16(subject),
        "__substg1.0_001A001F": _utf16("IPM.Note"),
    }
    for i, (name, data) in enumerate(files):
        short = name[:8] + "~1." + name.rsplit(".", 1)[-1] if len(name) > 12 else name
        tree[f"__attach_version1.0_#{i:08X}"] = {
            "__properties_version1.0": b"\x00" * 8,
            "__substg1.0_3707001F": _utf16(name),
            "__substg1.0_3704001F": _utf16(short),
            "__substg1.0_37010102": data,
        }
    for j, inner in enumerate(embedded or []):
        tree[f"__attach_version1.0_#{len(files) + j:08X}"] = {
            "__properties_version1.0": b"\x00" * 8,
            "__substg1.0_3001001F": _utf16("Вкладений лист"),
            "__substg1.0_3701000D": inner,
        }
    return tree


def build_msg(
    subject: str, files: list[tuple[str, bytes]], embedded: list[Tree] | None = None
) -> bytes:
    return write_cfb(msg_tree(subject, files, embedded))
