"""Hostile and odd returned files, made in memory and byte-for-byte deterministic.

Each public generator returns the bytes of one file as an executor (or an attacker) might
send it back under a ``.xlsx`` name; the cases follow section 7 of the hostile-inputs
notes. All start from ``valid_xlsx()``, a small form written by XlsxWriter, and change the
package the way the real thing would: bombs and lying headers are built with a zip writer
of our own (``_raw_zip``), legacy containers with a minimal compound-file writer (``cfb``).

    from tests.support import hostile
    data = hostile.ratio_bomb()          # 256 MiB of sheet XML in ~260 KB
    for name, make in hostile.GENERATORS.items(): ...
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from unittest import mock

import xlsxwriter

MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
TYPES = "[Content_Types].xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# --- the valid base --------------------------------------------------------------------------


def valid_xlsx(*, date_1904: bool = False) -> bytes:
    """A small report form: header row, four measures, a date, a total formula, a name."""
    out = io.BytesIO()
    options = {
        "in_memory": True,
        "date_1904": date_1904,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    wb = xlsxwriter.Workbook(out, options)
    wb.set_properties({"title": "Звіт", "created": datetime(2025, 1, 1)})
    date_format = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws = wb.add_worksheet("Звіт")
    ws.write_row(0, 0, ["№", "Захід", "Стан", "Сума"])
    for row in range(1, 5):
        ws.write_string(row, 0, f"1.{row}")
        ws.write_string(row, 1, f"Захід {row}")
        ws.write_string(row, 2, "виконано")
        ws.write_number(row, 3, 12.5 * row)
    ws.write_datetime(5, 3, datetime(2025, 3, 31), date_format)
    ws.write_formula(6, 3, "=SUM(D2:D5)")
    wb.define_name("zvit_form", '="form-0001"')
    wb.close()
    return out.getvalue()


def members(package: bytes) -> dict[str, bytes]:
    """Every member of a package we made ourselves (never call on untrusted data)."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def pack(parts: dict[str, bytes], stored: Iterable[str] = ()) -> bytes:
    """A zip of ``parts`` in the given order, deflated unless named in ``stored``."""
    out = io.BytesIO()
    keep = set(stored)
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name in keep else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


def patched(changes: dict[str, bytes | None], base: bytes | None = None) -> bytes:
    """``valid_xlsx()`` with members replaced, added, or dropped (value None)."""
    parts = members(base if base is not None else valid_xlsx())
    for name, data in changes.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    return pack(parts)


def _part(name: str) -> str:
    return members(valid_xlsx())[name].decode("utf-8")


def _with_dtd(xml: str, dtd: str) -> str:
    """Insert a DOCTYPE right after the XML declaration."""
    decl_end = xml.index("?>") + 2
    return xml[:decl_end] + "\n" + dtd + xml[decl_end:]


def _first_text(xml: str, replacement: str) -> str:
    return re.sub(r"<t>[^<]*</t>", f"<t>{replacement}</t>", xml, count=1)


def _first_number(xml: str, replacement: str) -> str:
    """Replace the value of the first plain numeric cell (D2 = 12.5)."""
    return re.sub(r"(<c r=\"D2\"[^>]*>)<v>[^<]*</v>", rf"\g<1><v>{replacement}</v>", xml, count=1)


# --- 1.2 billion laughs / XXE ---------------------------------------------------------------

_LAUGHS = (
    '<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs_shared_strings() -> bytes:
    """sharedStrings.xml declares nine levels of entities; its first string is &lol9;."""
    xml = _first_text(_with_dtd(_part(STRINGS), _LAUGHS), "&lol9;")
    return patched({STRINGS: xml.encode("utf-8")})


def billion_laughs_utf16() -> bytes:
    """The same bomb with sharedStrings.xml in UTF-16: invisible to a scan for ASCII bytes."""
    xml = _first_text(_with_dtd(_part(STRINGS), _LAUGHS), "&lol9;")
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return patched({STRINGS: xml.encode("utf-16")})


def entity_in_sheet_value() -> bytes:
    """A number cell's <v> is an entity: calamine silently read it as ''."""
    xml = _first_number(_with_dtd(_part(SHEET), '<!DOCTYPE worksheet [<!ENTITY n "42">]>'), "&n;")
    return patched({SHEET: xml.encode("utf-8")})


def xxe_hostname() -> bytes:
    """An external entity pulling file:///etc/hostname into the first shared string."""
    dtd = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    xml = _first_text(_with_dtd(_part(STRINGS), dtd), "&xxe;")
    return patched({STRINGS: xml.encode("utf-8")})


def dtd_in_media_part() -> bytes:
    """A DTD in a member named like a picture: parts may be reached by any name."""
    xml = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x>&a;</x>'
    return patched({"xl/media/image1.png": xml.encode("ascii")})


def dtd_after_blanks() -> bytes:
    """No XML declaration, 64 KiB of blanks, then a DOCTYPE astride the reader's 64 KiB chunk."""
    xml = _part(STRINGS)
    body = xml[xml.index("?>") + 2 :]
    dtd = '<!DOCTYPE sst [<!ENTITY e "x">]>'
    padded = " " * (64 * 1024 - 4) + dtd + _first_text(body, "&e;")
    return patched({STRINGS: padded.encode()})


def regex_flood() -> bytes:
    """Text that makes naive patterns slow: 4 MiB of comments, a 1 MiB formula of pipes."""
    sheet = _part(SHEET)
    flood = "<!-- x -->" * (400 * 1024)
    sheet = sheet.replace("<sheetData>", flood + "<sheetData>", 1)
    sheet = sheet.replace("<f>SUM(D2:D5)</f>", "<f>" + "|" * MIB + "</f>")
    return patched({SHEET: sheet.encode()})


def ebcdic_part() -> bytes:
    """sharedStrings.xml declared as EBCDIC (cp037): its DOCTYPE is not ASCII bytes."""
    body = _first_text(_with_dtd(_part(STRINGS), '<!DOCTYPE sst [<!ENTITY e "x">]>'), "&e;")
    body = body[body.index("?>") + 2 :]
    declaration = b'<?xml version="1.0" encoding="cp037"?>'
    return patched({STRINGS: declaration + body.encode("cp037", "xmlcharrefreplace")})


# --- 1.1 zip bombs and broken packages -------------------------------------------------------


@dataclass(frozen=True)
class RawEntry:
    """A zip member exactly as written: payload already compressed, sizes as declared."""

    name: str
    payload: bytes
    method: int
    crc: int
    size: int


def raw_entries(package: bytes) -> list[RawEntry]:
    """Our own package's members deflated afresh, with honest headers."""
    return [_deflated(name, data) for name, data in members(package).items()]


def _deflated(name: str, data: bytes) -> RawEntry:
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    payload = comp.compress(data) + comp.flush()
    return RawEntry(name, payload, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data))


def _raw_zip(entries: list[RawEntry], aliases: Iterable[tuple[RawEntry, str]] = ()) -> bytes:
    """Write a zip by hand. ``aliases`` add central-directory records that point at the
    local header of an existing entry under another name (overlapping entries)."""
    out = bytearray()
    directory = bytearray()
    offsets: dict[str, int] = {}
    for entry in entries:
        offsets[entry.name] = len(out)
        out += _header(b"PK\x03\x04", entry) + entry.name.encode() + entry.payload
    records = [(entry, entry.name, offsets[entry.name]) for entry in entries]
    records += [(entry, alias, offsets[entry.name]) for entry, alias in aliases]
    for entry, name, offset in records:
        directory += _header(b"PK\x01\x02", replace(entry, name=name), offset) + name.encode()
    start = len(out)
    out += directory
    out += struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(records), len(records), len(directory), start, 0
    )
    return bytes(out)


def _header(signature: bytes, e: RawEntry, offset: int | None = None) -> bytes:
    flags = 0x800 if not e.name.isascii() else 0
    common = (e.method, 0, 0x21, e.crc, len(e.payload), e.size, len(e.name.encode()), 0)
    if offset is None:
        return struct.pack("<4sHHHHHIIIHH", signature, 20, flags, *common)
    return struct.pack("<4sHHHHHHIIIHHHHHII", signature, 20, 20, flags, *common, 0, 0, 0, 0, offset)


def _deflated_run(prefix: bytes, unit: bytes, count: int, suffix: bytes) -> tuple[bytes, int]:
    """A raw deflate stream of prefix + unit * count + suffix, built in O(len(unit)) time:
    after a full flush each block stands alone, so one compressed unit can be repeated."""

    def block(data: bytes, final: bool = False) -> bytes:
        comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return comp.compress(data) + comp.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    return block(prefix) + block(unit) * count + block(suffix, final=True), crc


def _sheet_run(mib: int) -> tuple[bytes, int, int]:
    """Sheet XML padded with ``mib`` MiB of blanks: (deflated payload, crc, size)."""
    sheet = _part(SHEET)
    cut = sheet.index("<sheetData>")
    prefix, suffix = sheet[:cut].encode(), sheet[cut:].encode()
    unit = b" " * MIB
    payload, crc = _deflated_run(prefix, unit, mib, suffix)
    return payload, crc, len(prefix) + mib * MIB + len(suffix)


def ratio_bomb(mib: int = 256) -> bytes:
    """sheet1.xml really inflates to ``mib`` MiB (about 1000:1), and says so."""
    payload, crc, size = _sheet_run(mib)
    entries = [
        RawEntry(SHEET, payload, zipfile.ZIP_DEFLATED, crc, size) if e.name == SHEET else e
        for e in raw_entries(valid_xlsx())
    ]
    return _raw_zip(entries)


def lying_size_zip(mib: int = 64) -> bytes:
    """sheet1.xml declares 4 KiB but inflates to ``mib`` MiB (CRC of the whole data)."""
    payload, crc, _ = _sheet_run(mib)
    entries = [
        RawEntry(SHEET, payload, zipfile.ZIP_DEFLATED, crc, 4096) if e.name == SHEET else e
        for e in raw_entries(valid_xlsx())
    ]
    return _raw_zip(entries)


def overlapping_zip() -> bytes:
    """A second directory record points at sheet1.xml's local header as sheet2.xml."""
    entries = raw_entries(valid_xlsx())
    sheet = next(e for e in entries if e.name == SHEET)
    return _raw_zip(entries, aliases=[(sheet, "xl/worksheets/sheet2.xml")])


def overlap_bomb(copies: int = 500, mib: int = 10) -> bytes:
    """Fifield-style full overlap: ``copies`` records share one ``mib`` MiB kernel."""
    payload, crc, size = _sheet_run(mib)
    kernel = RawEntry(SHEET, payload, zipfile.ZIP_DEFLATED, crc, size)
    entries = [kernel if e.name == SHEET else e for e in raw_entries(valid_xlsx())]
    aliases = [(kernel, f"xl/worksheets/sheet{i}.xml") for i in range(2, copies + 2)]
    return _raw_zip(entries, aliases)


def truncated_zip() -> bytes:
    data = valid_xlsx()
    return data[: len(data) // 2]


def bad_crc_zip() -> bytes:
    """sheet1.xml's recorded CRC-32 does not match its data."""
    entries = [
        replace(e, crc=e.crc ^ 0xFFFF) if e.name == SHEET else e for e in raw_entries(valid_xlsx())
    ]
    return _raw_zip(entries)


def no_content_types() -> bytes:
    return patched({TYPES: None})


def too_many_members(count: int = 1200) -> bytes:
    return patched({f"customXml/item{i}.xml": b"<a/>" for i in range(count)})


# --- 1.4 other formats behind a .xlsx name ---------------------------------------------------

_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file (v3, 512-byte sectors) with ``streams`` in its root storage.

    Streams are padded to 4 KiB so none lives in the mini stream; siblings are chained in
    CFB name order to the right, a valid (if unbalanced) tree."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    dir_sectors = -(-(1 + len(names)) * 128 // 512)
    fat = [_FATSECT, *_chain(1, dir_sectors)]
    starts = []
    for data in datas:
        starts.append(len(fat))
        fat += _chain(len(fat), -(-len(data) // 512))
    if len(fat) > 128:
        raise ValueError("cfb(): one FAT sector only; keep the streams small")
    directory = _dir_entry("Root Entry", 5, 1 if names else _NOSTREAM, _NOSTREAM, _END, 0)
    for i, (name, start, data) in enumerate(zip(names, starts, datas, strict=True)):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        directory += _dir_entry(name, 2, _NOSTREAM, right, start, len(data))
    directory = directory.ljust(dir_sectors * 512, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        1,
        1,
        0,
        4096,
        _END,
        0,
        _END,
        0,
    )
    header += struct.pack("<109I", 0, *[_FREE] * 108)
    fat_sector = struct.pack("<128I", *fat, *[_FREE] * (128 - len(fat)))
    return (
        header
        + fat_sector
        + directory
        + b"".join(d.ljust(-(-len(d) // 512) * 512, b"\0") for d in datas)
    )


def _chain(start: int, count: int) -> list[int]:
    return [start + i + 1 for i in range(count - 1)] + [_END]


def _dir_entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded) + 2,
        kind,
        1,
        _NOSTREAM,
        right,
        child,
        bytes(16),
        0,
        0,
        0,
        start,
        size,
    )


def _biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


_BOF = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
_EOF = (0x000A, b"")


def xls_minimal() -> bytes:
    """A compound file with a BIFF8 ``Workbook`` stream (BOF … EOF), as .xls has."""
    return cfb({"Workbook": _biff(_BOF, _EOF)})


def xls_encrypted() -> bytes:
    """Legacy .xls with a password to open: a FILEPASS record follows the BOF."""
    filepass = (0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    return cfb({"Workbook": _biff(_BOF, filepass, _EOF)})


def outlook_msg() -> bytes:
    """The skeleton of an Outlook .msg: property streams named __substg1.0_*."""
    return cfb(
        {
            "__substg1.0_0037001F": "Звіт за І квартал".encode("utf-16-le"),
            "__substg1.0_1000001F": "Див. вкладення".encode("utf-16-le"),
            "__properties_version1.0": bytes(32),
        }
    )


def _agile_info() -> bytes:
    """An agile (4.4) EncryptionInfo descriptor with made-up salts and keys."""

    def b64(size: int) -> str:
        return base64.b64encode(_noise(size)).decode()

    cipher = (
        'saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"'
    )
    password = "http://schemas.microsoft.com/office/2006/keyEncryptor/password"
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://'
        f'schemas.microsoft.com/office/2006/encryption" xmlns:p="{password}">'
        f'<keyData {cipher} saltValue="{b64(16)}"/>'
        f'<dataIntegrity encryptedHmacKey="{b64(64)}" encryptedHmacValue="{b64(64)}"/>'
        f'<keyEncryptors><keyEncryptor uri="{password}"><p:encryptedKey spinCount="100000" '
        f'{cipher} saltValue="{b64(16)}" encryptedVerifierHashInput="{b64(16)}" '
        f'encryptedVerifierHashValue="{b64(64)}" encryptedKeyValue="{b64(32)}"/>'
        "</keyEncryptor></keyEncryptors></encryption>"
    )
    return struct.pack("<HHI", 4, 4, 0x40) + xml.encode()


def encrypted_container() -> bytes:
    """The shape of a password-protected .xlsx: EncryptionInfo (agile, 4.4) and
    EncryptedPackage streams in a compound file. Not decryptable; see encrypted_ooxml()."""
    package = struct.pack("<Q", 8192) + _noise(8192)
    # Blanks after the root element keep the XML well-formed at the 4 KiB cfb() pads to.
    info = _agile_info().ljust(4096, b" ")
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def encrypted_ooxml(password: str = "secret") -> bytes:
    """``valid_xlsx()`` really encrypted by msoffcrypto-tool (agile AES), salts fixed."""
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    out = io.BytesIO()
    with _fixed(ecma376_agile, ecma376_encrypted):
        OOXMLFile(io.BytesIO(valid_xlsx())).encrypt(password, out)
    return out.getvalue()


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _FixedClock:
        return cls(2025, 1, 1)


@contextmanager
def _fixed(agile: object, container: object) -> Iterator[None]:
    """Pin msoffcrypto's salts and keys and its container timestamps."""
    stream = _noise_stream()
    with (
        mock.patch.object(agile, "_random_buffer", lambda size: next(stream)[:size]),
        mock.patch.object(container, "datetime", _FixedClock),
    ):
        yield


def _noise_stream() -> Iterator[bytes]:
    counter = 0
    while True:
        counter += 1
        yield hashlib.sha512(counter.to_bytes(8, "little")).digest()


def _noise(size: int) -> bytes:
    blocks = _noise_stream()
    return b"".join(next(blocks) for _ in range(-(-size // 64)))[:size]


def ods() -> bytes:
    """An OpenDocument spreadsheet: ``mimetype`` stored first, then the XML parts."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        '<office:body><office:spreadsheet><table:table table:name="Звіт"><table:table-row>'
        "<table:table-cell><text:p>Захід</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return pack(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest.encode(),
            "content.xml": content.encode(),
        },
        stored=["mimetype"],
    )


def xlsb_like() -> bytes:
    """The package of a binary workbook: xl/workbook.bin instead of xl/workbook.xml."""
    binary = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    types = (
        f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/content-types"><Default Extension="bin" ContentType="{binary}"/><Default '
        'Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument"'
        ' Target="xl/workbook.bin"/></Relationships>'
    )
    return pack(
        {
            TYPES: types.encode(),
            "_rels/.rels": rels.encode(),
            "xl/workbook.bin": _biff((0x0183, b""), (0x0184, b"")),
            "xl/worksheets/sheet1.bin": _biff((0x0181, b""), (0x0182, b"")),
        }
    )


def csv_cp1251() -> bytes:
    """What Excel's «CSV (розділювач — кома)» writes on a Ukrainian Windows: cp1251, ';'."""
    return "№;Захід;Стан;Сума\r\n1.1;Захід 1;виконано;12,5\r\n1.2;Захід 2;;25\r\n".encode("cp1251")


def unicode_text() -> bytes:
    """Excel's «Текст Юнікод»: UTF-16 with a BOM, tab-separated."""
    return "№\tЗахід\tСума\r\n1.1\tЗахід 1\t12,5\r\n".encode("utf-16")


def html_renamed() -> bytes:
    """Excel's «Веб-сторінка» saved under a .xlsx name."""
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-'
        'microsoft-com:office:excel"><head><meta charset="utf-8"></head><body><table>'
        "<tr><td>Захід</td><td>12,5</td></tr></table></body></html>"
    ).encode()


def spreadsheet_xml_2003() -> bytes:
    """Excel's «Таблиця XML 2003»."""
    return (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
        '"urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:'
        'office:spreadsheet"><Worksheet ss:Name="Звіт"><Table><Row><Cell><Data ss:Type='
        '"String">Захід</Data></Cell></Row></Table></Worksheet></Workbook>'
    ).encode()


def zip_of_xlsx() -> bytes:
    """The form sent inside an archive."""
    return pack({"звіт.xlsx": valid_xlsx()})


def pdf() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- 1.6-1.10 valid packages with dangerous or odd content ------------------------------------

_STRICT = {
    MAIN_NS: "http://purl.oclc.org/ooxml/spreadsheetml/main",
    REL_NS: "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/"
    "drawingml/main",
}


def strict_ooxml() -> bytes:
    """The form in ISO 29500 Strict namespaces, as Excel's «Strict Open XML» saves it."""
    parts = members(valid_xlsx())
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            text = data.decode("utf-8")
            for old, new in _STRICT.items():
                text = text.replace(old, new)
            parts[name] = text.encode("utf-8")
    parts[WORKBOOK] = parts[WORKBOOK].replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
    return pack(parts)


def xlsm_renamed() -> bytes:
    """A macro-enabled workbook (vbaProject.bin, macroEnabled content type) named .xlsx."""
    parts = members(valid_xlsx())
    vba = "application/vnd.ms-office.vbaProject"
    parts[TYPES] = parts[TYPES].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    parts[TYPES] = parts[TYPES].replace(
        b"<Default ", f'<Default Extension="bin" ContentType="{vba}"/><Default '.encode(), 1
    )
    rel = (
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'
    )
    parts[WB_RELS] = parts[WB_RELS].replace(b"</Relationships>", rel.encode())
    parts["xl/vbaProject.bin"] = cfb(
        {"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"', "dir": bytes(64)}
    )
    return pack(parts)


def external_link() -> bytes:
    """A link to another workbook: externalLink part, its rels, a formula using [1]."""
    parts = members(valid_xlsx())
    link = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><externalBook r:id="rId1"><sheetNames><sheetName val="Лист1"/>'
        '</sheetNames><sheetDataSet><sheetData sheetId="0"/></sheetDataSet></externalBook>'
        "</externalLink>"
    )
    link_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL_NS}/externalLinkPath" Target="file:///C:/Budget/secret.xlsx" '
        'TargetMode="External"/></Relationships>'
    )
    parts["xl/externalLinks/externalLink1.xml"] = link.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = link_rels.encode()
    override = (
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
        "</Types>"
    )
    parts[TYPES] = parts[TYPES].replace(b"</Types>", override.encode())
    rel = (
        f'<Relationship Id="rIdExt1" Type="{REL_NS}/externalLink" '
        'Target="externalLinks/externalLink1.xml"/></Relationships>'
    )
    parts[WB_RELS] = parts[WB_RELS].replace(b"</Relationships>", rel.encode())
    refs = b'</sheets><externalReferences><externalReference r:id="rIdExt1"/></externalReferences>'
    parts[WORKBOOK] = parts[WORKBOOK].replace(b"</sheets>", refs)
    parts[SHEET] = parts[SHEET].replace(
        b"<f>SUM(D2:D5)</f>", b"<f>[1]\xd0\x9b\xd0\xb8\xd1\x81\xd1\x821!A1</f>"
    )
    return pack(parts)


def dde_formula() -> bytes:
    """The total cell holds a DDE formula instead of =SUM: cmd|' /C calc'!A0."""
    return patched(
        {SHEET: _part(SHEET).replace("<f>SUM(D2:D5)</f>", "<f>cmd|' /C calc'!A0</f>").encode()}
    )


def huge_dimension() -> bytes:
    """<dimension ref="A1:AMJ1048576"> on a sheet with seven rows, as LibreOffice may write."""
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:AMJ1048576"/>', _part(SHEET))
    return patched({SHEET: xml.encode()})


def many_styles(count: int = 60_000) -> bytes:
    """styles.xml with ``count`` cell formats, as style explosion by copy-paste leaves."""
    styles = _part("xl/styles.xml")
    xfs = "".join(
        f'<xf numFmtId="{(i * 7) % 50}" fontId="0" fillId="{i % 2}" borderId="0" xfId="0" '
        f'applyNumberFormat="1" applyAlignment="1"><alignment indent="{i % 15}" '
        f'textRotation="{(i // 15) % 180}"/></xf>'
        for i in range(count)
    )
    styles = re.sub(
        r'<cellXfs count="\d+">.*?</cellXfs>',
        f'<cellXfs count="{count}">{xfs}</cellXfs>',
        styles,
        flags=re.S,
    )
    return patched({"xl/styles.xml": styles.encode()})


def text_in_number_cell() -> bytes:
    """<v>abc</v> in a numeric cell (no t="s"): openpyxl raises, calamine returns 'abc'."""
    return patched({SHEET: _first_number(_part(SHEET), "abc").encode()})


def date1904() -> bytes:
    """The form saved with the 1904 date system (Excel for Mac's old default)."""
    return valid_xlsx(date_1904=True)


def empty() -> bytes:
    return b""


GENERATORS: dict[str, Callable[[], bytes]] = {
    func.__name__: func
    for func in (
        valid_xlsx,
        billion_laughs_shared_strings,
        billion_laughs_utf16,
        entity_in_sheet_value,
        xxe_hostname,
        dtd_in_media_part,
        dtd_after_blanks,
        ebcdic_part,
        regex_flood,
        ratio_bomb,
        lying_size_zip,
        overlapping_zip,
        overlap_bomb,
        truncated_zip,
        bad_crc_zip,
        no_content_types,
        too_many_members,
        xls_minimal,
        xls_encrypted,
        outlook_msg,
        encrypted_container,
        encrypted_ooxml,
        ods,
        xlsb_like,
        csv_cp1251,
        unicode_text,
        html_renamed,
        spreadsheet_xml_2003,
        zip_of_xlsx,
        pdf,
        strict_ooxml,
        xlsm_renamed,
        external_link,
        dde_formula,
        huge_dimension,
        many_styles,
        text_in_number_cell,
        date1904,
        empty,
    )
}
