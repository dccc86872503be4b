"""The byte scan of a package's parts: every member inflated within the limits and
verified, and each part that may be XML searched as raw bytes for what a hardened parser
would refuse anyway (DTDs, entities) and for what a reader must not follow (external
links, DDE). Nothing here parses XML.

Members byte for byte the same as one already scanned — the same name, stored data,
declared size and CRC — inflate to the same bytes and give the same findings: the parts a
template puts in every form (styles, theme, relationships) are inflated and searched
once a process."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from toolkit.gate import safety
from toolkit.gate.safety import CorruptZip, LimitExceeded, ZipPackage, printable
from toolkit.memo import Remembered

_TAIL = 16 * 1024  # bytes carried between chunks so a pattern split by a chunk is still seen
_SHARED = 64 * 1024  # members up to this size are remembered, with what their scan found
# (name, compression, size, CRC, stored bytes) → the member's bytes and what they hold
_SEEN: Remembered[tuple[object, ...], tuple[bytes, _Findings]] = Remembered(8 * 1024 * 1024)
# Literal searches on a lower-cased copy: fast (no regex), and deaf to letter case even
# though XML parsers are not. UTF-16 in both byte orders, since OOXML allows it.
_DTD_FORMS = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
# Bounded repeats keep every pattern linear: an unbounded [^<]* before another [^<]* lets
# a hostile text node of "|" cost quadratic time. 8192 is Excel's longest formula.
_DDE_LINK = re.compile(rb"<(?:\w{1,16}:)?ddeLink\b")
_FORMULA = re.compile(rb"<(?:\w{1,16}:)?f\b[^<>]{0,512}>([^<]{0,8192})")
_PIPES = (b"|", b"&#124;", b"&#x7c;", b"&#x7C;")
_XF = re.compile(rb"<(?:\w{1,16}:)?xf\b")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
# OOXML parts are UTF-8 or UTF-16; the 8-bit encodings below keep ASCII where it is, so a
# byte scan still sees "<!DOCTYPE". Anything else (EBCDIC, UTF-7, UTF-32) could hide one.
_SAFE_ENCODING = re.compile(
    r"(utf-?8|utf-?16(le|be)?|(us-)?ascii|iso-?8859-\d+|latin-?1|(windows|cp)-?125\d|koi8-?[ru])",
    re.IGNORECASE,
)
_UNSAFE_STARTS = (
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x4c\x6f\xa7\x94",
)  # UTF-32 with and without BOM, EBCDIC "<?xm"
STYLES_PART = "xl/styles.xml"
_HEAD_SIZE = 4096  # bytes that tell whether a part is XML and in which encoding
KEEP_BUDGET = 4 * 1024 * 1024  # bytes of inflated XML the scan hands on to the reader


@dataclass
class ScanResult:
    """What the byte scan of every member found; each list holds member names."""

    dtd: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    limits: list[LimitExceeded] = field(default_factory=list)
    cell_formats: int = 0
    # XML members as inflated and verified here, for the reader not to inflate them again
    inflated: dict[str, bytes] = field(default_factory=dict)
    held: int = 0  # bytes in ``inflated``


def scan_members(pkg: ZipPackage) -> ScanResult:
    """Inflate every member within the limits, verify it, and scan what may be XML."""
    result = ScanResult()
    for info in pkg.members:
        if info.is_dir() or info.file_size > pkg.limits.max_member_size:
            continue
        try:
            _scan_member(pkg, info, result)
        except LimitExceeded as exc:
            result.limits.append(exc)
        except CorruptZip as exc:
            result.corrupt.append(str(exc))
        except zlib.error as exc:
            result.corrupt.append(f"member {printable(info.filename)!r}: {exc}")
    return result


def _scan_member(pkg: ZipPackage, info: zipfile.ZipInfo, result: ScanResult) -> None:
    if info.file_size > safety.WHOLE:
        _scan_stream(pkg, info, result)
        return
    name = info.filename
    data, found = _checked(pkg, info)
    if found.kind == "unsafe":
        result.corrupt.append(f"part {printable(name)!r} uses an XML encoding Excel never writes")
    if found.kind is None:
        return
    if found.dtd:
        result.dtd.append(name)
    if found.dde:
        result.external.append(name)
    result.cell_formats += found.cell_formats
    _keep(name, data, result)


class _Findings(NamedTuple):
    kind: str | None  # see _xml_kind
    dtd: bool
    dde: bool
    cell_formats: int


def _checked(pkg: ZipPackage, info: zipfile.ZipInfo) -> tuple[bytes, _Findings]:
    """A member small enough to be inflated in one piece (nearly every part of a form),
    verified and scanned — or its bytes and findings as remembered (see the module doc)."""
    if info.file_size > _SHARED:
        data = pkg.whole(info)
        return data, _findings(info.filename, data)
    key = (info.filename, info.compress_type, info.file_size, info.CRC, pkg.stored(info))
    found: tuple[bytes, _Findings] | None = _SEEN.get(key)
    if found is None:
        data = pkg.whole(info)
        found = _SEEN.remember(
            key, (data, _findings(info.filename, data)), len(key[-1]) + len(data)
        )
    return found


def _findings(name: str, data: bytes) -> _Findings:
    kind = _xml_kind(data[:_HEAD_SIZE])
    if kind is None:  # not XML to any parser
        return _Findings(kind, False, False, 0)
    return _Findings(
        kind,
        _may_have_dtd(data) and _has_dtd(data),
        _has_dde(data),
        sum(1 for _ in _XF.finditer(data)) if name == STYLES_PART else 0,
    )


def _scan_stream(pkg: ZipPackage, info: zipfile.ZipInfo, result: ScanResult) -> None:
    """A large member, inflated chunk by chunk; a pattern split between two chunks is seen
    through the tail carried over."""
    name = info.filename
    chunks = pkg.stream(info)
    head, chunk_list = _head(chunks)
    kind = _xml_kind(head)
    if kind == "unsafe":
        result.corrupt.append(f"part {printable(name)!r} uses an XML encoding Excel never writes")
    tail = xf_tail = b""
    dtd = dde = False
    keep: list[bytes] | None = (
        [] if kind is not None and _may_keep(info.file_size, result) else None
    )
    for chunk in _chain(chunk_list, chunks):
        if kind is None:
            continue  # not XML to any parser; still inflated to the end to verify size and CRC
        if keep is not None:
            keep.append(chunk)
        buf = tail + chunk
        if not dtd and _may_have_dtd(buf) and _has_dtd(buf):
            dtd = True
            result.dtd.append(name)
        if not dde and _has_dde(buf):
            dde = True
            result.external.append(name)
        if name == STYLES_PART:
            xf_buf = xf_tail + chunk
            last_end = 0
            for match in _XF.finditer(xf_buf):
                result.cell_formats += 1
                last_end = match.end()
            xf_tail = xf_buf[max(last_end, len(xf_buf) - 64) :]
        tail = buf[-_TAIL:]
    if keep is not None:  # the stream ended: size and CRC are verified
        _keep(name, b"".join(keep), result)


def _may_keep(size: int, result: ScanResult) -> bool:
    """Within a budget, so a large package is not held twice in memory."""
    return result.held + size <= KEEP_BUDGET


def _keep(name: str, data: bytes, result: ScanResult) -> None:
    if _may_keep(len(data), result):
        result.inflated[name] = data
        result.held += len(data)


def _may_have_dtd(buf: bytes) -> bool:
    # "!" alone is a one-byte search (memchr), many times faster than "<!" over XML,
    # where "<" is everywhere; most parts hold no "!" at all.
    return b"!" in buf and (b"<!" in buf or b"<\x00!" in buf)


def _has_dtd(buf: bytes) -> bool:
    lowered = buf.lower()
    return any(form in lowered for form in _DTD_FORMS)


def _has_dde(buf: bytes) -> bool:
    """A DDE link part, or a formula calling another program (cmd|' /C calc'!A0)."""
    if b"ddeLink" in buf and _DDE_LINK.search(buf):
        return True
    # Such a formula holds "!" and a pipe: one-byte searches rule most parts out at once.
    if b"!" not in buf or (b"|" not in buf and b"&#" not in buf):
        return False
    for match in _FORMULA.finditer(buf):
        text = match.group(1)
        if b"!" in text and any(pipe in text for pipe in _PIPES):
            return True
    return False


def _head(chunks: Iterator[bytes], size: int = _HEAD_SIZE) -> tuple[bytes, list[bytes]]:
    """The first ``size`` bytes, however thinly the inflater hands them out."""
    taken: list[bytes] = []
    got = 0
    for chunk in chunks:
        taken.append(chunk)
        got += len(chunk)
        if got >= size:
            break
    return b"".join(taken)[:size], taken


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _xml_kind(head: bytes) -> str | None:
    """'utf8', 'utf16' or 'unsafe' when an XML parser could read the part, else None."""
    if head.startswith(_UNSAFE_STARTS):
        return "unsafe"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        return "utf16"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text and not text.startswith(b"<"):
        return None  # XML may open with any amount of whitespace: all-blank is scanned
    declared = _DECLARED_ENCODING.match(text[:512])
    if declared and not _SAFE_ENCODING.fullmatch(declared.group(1).decode("ascii")):
        return "unsafe"
    return "utf8"
