"""Safety limits and a bounded reader for untrusted zip packages.

Nothing here parses XML. Sizes come from the zip's central directory and are checked before
a byte is inflated; members are then inflated by our own loop, which stops one byte past
the size a member declares, so a lying header costs at most its declared size. The parts
are then scanned as raw bytes (``partscan``)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from toolkit.errors import ZvitError

_INFLATE: Any
try:  # ISA-L inflates twice as fast as zlib, and the gate inflates every part of every file
    from isal import isal_zlib as _INFLATE
except ImportError:  # a platform without its wheel: the standard library's
    _INFLATE = zlib

MIB = 1024 * 1024
CHUNK = 64 * 1024
WHOLE = 1 * 1024 * 1024  # members up to this size are inflated in one call, not streamed
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
_MAX_COMMENT = 0xFFFF


def ensure_defusedxml() -> None:
    """Refuse to read returned workbooks unless openpyxl parses XML through defusedxml.

    Call at the start of collect and validate: without it openpyxl's streaming parser
    expands entities (billion laughs) in sheets and shared strings."""
    try:
        import defusedxml.ElementTree  # noqa: F401
        import openpyxl
    except ImportError as exc:
        raise ZvitError("collect.defusedxml_missing", detail=exc) from exc
    if getattr(openpyxl, "DEFUSEDXML", False) is not True:
        raise ZvitError("collect.defusedxml_missing", detail="openpyxl.DEFUSEDXML is False")


@dataclass(frozen=True)
class Limits:
    """Bounds for one returned form; a ~40-row form is ~20 KB zipped and ~200 KB inflated,
    so the defaults leave room for pictures and extra sheets and none for a bomb."""

    max_file_size: int = 20 * MIB
    max_members: int = 1000
    max_directory_size: int = 1 * MIB  # central directory, checked before zipfile reads it
    max_total_size: int = 100 * MIB  # sum of declared uncompressed sizes
    max_member_size: int = 50 * MIB  # declared uncompressed size of one member
    max_ratio: float = 200.0  # uncompressed : compressed, for members above ratio_grace
    ratio_grace: int = 1 * MIB
    max_cell_formats: int = 20_000  # <xf> records in xl/styles.xml


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """A limit was passed; ``check`` names which one (a stable key for logs and params)."""

    def __init__(self, check: str, value: int, limit: int, part: str = "") -> None:
        super().__init__(f"{check}: {value} > {limit}")
        self.check, self.value, self.limit, self.part = check, value, limit, part


class CorruptZip(Exception):
    """The package is damaged or built in a way no spreadsheet program writes."""


def printable(name: str, width: int = 80) -> str:
    """A member name fit for a message: control characters replaced, length capped."""
    text = "".join(c if c.isprintable() else "?" for c in name)
    return text if len(text) <= width else text[: width - 1] + "…"


class ZipPackage:
    """A zip held in memory, whose members are only ever read through ``stream``."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.limits = limits
        self._view = memoryview(data)
        _check_directory(self._view, limits)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.members: list[zipfile.ZipInfo] = zf.infolist()
            self._directory_start: int = zf.start_dir
        self.by_name = {info.filename: info for info in self.members}
        self._whole: dict[str, bytes] = {}  # small members already inflated and verified
        self._starts: dict[int, int] = {}  # id of a member's ZipInfo → where its data begin

    def limit_problems(self) -> list[LimitExceeded]:
        """Declared sizes against the limits, from the central directory alone."""
        lim, found = self.limits, []
        if len(self.members) > lim.max_members:
            found.append(LimitExceeded("members", len(self.members), lim.max_members))
        total = sum(info.file_size for info in self.members)
        if total > lim.max_total_size:
            found.append(LimitExceeded("total_size", total, lim.max_total_size))
        for info in self.members:
            if info.file_size > lim.max_member_size:
                found.append(
                    LimitExceeded("member_size", info.file_size, lim.max_member_size, info.filename)
                )
                break
        for info in self.members:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > lim.ratio_grace and ratio > lim.max_ratio:
                found.append(
                    LimitExceeded("ratio", round(ratio), round(lim.max_ratio), info.filename)
                )
                break
        return found

    def structure_problems(self) -> list[str]:
        """Duplicate names, unreadable local headers and members whose data overlap."""
        problems: list[str] = []
        seen: set[str] = set()
        spans: list[tuple[int, int, str]] = []
        for info in self.members:
            if info.filename in seen:
                problems.append(f"duplicate member {printable(info.filename)!r}")
            seen.add(info.filename)
            if "\x00" in info.orig_filename:
                problems.append(f"member name with a NUL byte {printable(info.orig_filename)!r}")
            try:
                start = self._data_start(info)
            except CorruptZip as exc:
                problems.append(str(exc))
                continue
            spans.append((info.header_offset, start + info.compress_size, info.filename))
        spans.sort()
        for (_, end, first), (start, _, second) in pairwise(spans):
            if start < end:
                problems.append(f"members {printable(first)!r} and {printable(second)!r} overlap")
                break
        if spans and max(end for _, end, _ in spans) > self._directory_start:
            problems.append("member data runs into the central directory")
        return problems

    def head(self, name: str, size: int) -> bytes:
        """At most about ``size`` leading bytes of a member; b"" if it is missing or broken."""
        info = self.by_name.get(name)
        if info is None:
            return b""
        try:
            if info.file_size <= WHOLE:
                return self.whole(info, keep=True)[:size]  # the scan reads it again
            return b"".join(self.stream(info, stop_after=size))[:size]
        except (CorruptZip, LimitExceeded, zlib.error):
            return b""

    def whole(self, info: zipfile.ZipInfo, keep: bool = False) -> bytes:
        """A small member inflated in one call, never past its declared size plus one byte,
        and verified as ``stream`` verifies it (the same errors). ``keep``: hold it for the
        next reader."""
        found = self._whole.get(info.filename)
        if found is not None:
            return found
        raw = self._raw(info)
        if info.compress_type == zipfile.ZIP_STORED:
            out = bytes(raw)
        else:
            inflater = _INFLATE.decompressobj(-zlib.MAX_WBITS)
            out = _decompress(inflater, raw, info.file_size + 1)
            if len(out) > info.file_size:
                raise LimitExceeded("declared_size", len(out), info.file_size, info.filename)
            if not inflater.eof:
                raise CorruptZip(f"member {printable(info.filename)!r} ends before its data does")
        _verify(info, len(out), _INFLATE.crc32(out))
        if keep:
            self._whole[info.filename] = out
        return out

    def stream(self, info: zipfile.ZipInfo, stop_after: int | None = None) -> Iterator[bytes]:
        """Yield a member inflated in chunks; at the end verify its declared size and CRC.

        Raises LimitExceeded when the data inflate past the declared size (a lying header),
        CorruptZip or zlib.error when they are damaged. ``stop_after`` ends early, unverified."""
        raw = self._raw(info)
        chunks: Iterator[bytes]
        if info.compress_type == zipfile.ZIP_STORED:
            chunks = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
        else:
            chunks = _inflate(raw, info)
        crc = produced = 0
        for chunk in chunks:
            crc = _INFLATE.crc32(chunk, crc)
            produced += len(chunk)
            yield chunk
            if stop_after is not None and produced >= stop_after:
                return
        _verify(info, produced, crc)

    def stored(self, info: zipfile.ZipInfo) -> bytes:
        """A member's data as stored (compressed), once its header says it can be read."""
        return bytes(self._raw(info))

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        """A member's data as stored, once its header says it can be inflated."""
        if info.flag_bits & 0x1:
            raise CorruptZip(f"member {printable(info.filename)!r} is zip-encrypted")
        start = self._data_start(info)
        raw = self._view[start : start + info.compress_size]
        if len(raw) < info.compress_size:
            raise CorruptZip(f"member {printable(info.filename)!r} is truncated")
        if info.compress_type == zipfile.ZIP_STORED:
            if info.compress_size != info.file_size:
                raise CorruptZip(f"stored member {printable(info.filename)!r} has two sizes")
        elif info.compress_type != zipfile.ZIP_DEFLATED:
            raise CorruptZip(
                f"member {printable(info.filename)!r} uses compression method "
                f"{info.compress_type}, which Excel never writes"
            )
        return raw

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        """Where a member's data begin, after its local header (read once a member)."""
        start = self._starts.get(id(info))
        if start is None:
            start = self._starts[id(info)] = self._local_header(info)
        return start

    def _local_header(self, info: zipfile.ZipInfo) -> int:
        offset = info.header_offset
        header = bytes(self._view[offset : offset + 30])
        if len(header) < 30 or not header.startswith(_LOCAL):
            raise CorruptZip(f"no local header for member {printable(info.filename)!r}")
        name_len: int
        extra_len: int
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        raw_name = bytes(self._view[offset + 30 : offset + 30 + name_len])
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if raw_name.decode(encoding, errors="replace") != info.orig_filename:
            raise CorruptZip(f"member {printable(info.filename)!r} has a different local name")
        return offset + 30 + name_len + extra_len


def _verify(info: zipfile.ZipInfo, produced: int, crc: int) -> None:
    if produced != info.file_size:
        raise CorruptZip(f"member {printable(info.filename)!r} is shorter than declared")
    if crc != info.CRC:
        raise CorruptZip(f"bad CRC-32 in member {printable(info.filename)!r}")


def _decompress(inflater: Any, data: bytes | memoryview, limit: int) -> bytes:
    """At most ``limit`` bytes more; damaged data is a zlib.error, whichever library."""
    try:
        out: bytes = inflater.decompress(data, limit)
    except _INFLATE.error as e:
        raise zlib.error(str(e)) from e
    return out


def _inflate(raw: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Raw deflate, never producing more than the declared size plus one byte."""
    inflater = _INFLATE.decompressobj(-zlib.MAX_WBITS)
    produced = pos = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            data: bytes | memoryview = inflater.unconsumed_tail
        else:
            data = raw[pos : pos + CHUNK]
            pos += len(data)
        budget = info.file_size - produced + 1  # >= 1: zero would mean "no limit" to zlib
        out = _decompress(inflater, data, min(CHUNK, budget))
        produced += len(out)
        if produced > info.file_size:
            raise LimitExceeded("declared_size", produced, info.file_size, info.filename)
        if not out and (not data or len(inflater.unconsumed_tail) == len(data)):
            raise CorruptZip(f"member {printable(info.filename)!r} ends before its data does")
        if out:
            yield out


def _check_directory(view: memoryview, limits: Limits) -> None:
    """Bound the central directory before zipfile turns every entry into an object."""
    tail_start = max(0, len(view) - (22 + _MAX_COMMENT))
    pos = bytes(view[tail_start:]).rfind(_EOCD)
    if pos < 0:
        raise CorruptZip("no end of central directory: the file is truncated or not a zip")
    pos += tail_start
    record = bytes(view[pos : pos + 22])
    if len(record) < 22:
        raise CorruptZip("end of central directory is cut off")
    entries, size = struct.unpack("<HI", record[10:16])
    total, dir_size = int(entries), int(size)
    locator = bytes(view[max(0, pos - 20) : pos])
    if locator.startswith(_EOCD64_LOCATOR):
        (offset64,) = struct.unpack("<Q", locator[8:16])
        record64 = bytes(view[offset64 : offset64 + 56])
        if len(record64) == 56 and record64.startswith(_EOCD64):
            total, dir_size = struct.unpack("<QQ", record64[32:48])
    if total > limits.max_members:
        raise LimitExceeded("members", total, limits.max_members)
    if dir_size > limits.max_directory_size:
        raise LimitExceeded("directory_size", dir_size, limits.max_directory_size)
