"""Files inside Outlook containers: ``winmail.dat`` (TNEF) and attached ``.msg`` messages.

Both readers take untrusted bytes and return plain items; they never recurse into other
formats themselves (``mailparse`` decides what an item is). Anything that makes a container
unusable raises :class:`ContainerError`, which the caller turns into a coded issue.

Why olefile and not extract-msg for .msg: we need only the attachment storages of the
compound file (data ``__substg1.0_37010102``, long/short name ``3707``/``3704``, embedded
message ``3701000D``), which is a few lines over olefile; extract-msg 0.57 would pull in
19 more packages (oletools, RTFDE, beautifulsoup4, easygui, ...) for message bodies we
never read. Names are taken long first (``3707``), as msg-extractor #191/#202 advise."""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import Any, TypeAlias

import olefile
from tnefparse.tnef import TNEF  # type: ignore[import-untyped]

from toolkit.mailio.headers import decode_8bit

TNEF_MAGIC = b"\x78\x9f\x3e\x22"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# TNEF attribute ids (low word of the attribute tag) that we keep; see MS-OXTNEF 2.1.3.
_TNEF_VERSION, _TNEF_CODEPAGE = 0x9006, 0x9007
_ATT_REND, _ATT_TITLE, _ATT_DATA, _ATT_MAPI = 0x9002, 0x8010, 0x800F, 0x9005
_KEEP = {(1, _TNEF_VERSION), (1, _TNEF_CODEPAGE)} | {
    (2, a) for a in (_ATT_REND, _ATT_TITLE, _ATT_DATA, _ATT_MAPI)
}
_IMESSAGE_SIG = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_MAX_TNEF_ATTRIBUTES = 10_000  # walked (cheap)
_MAX_TNEF_KEPT = 200  # handed to tnefparse, which copies the stream tail per attribute
_MAX_ITEMS = 100
_PR_LONG_NAME, _PR_SHORT_NAME, _PR_DISPLAY_NAME = 0x3707, 0x3704, 0x3001


_Ole: TypeAlias = "olefile.OleFileIO[str]"  # generic only in the stubs


class ContainerError(Exception):
    """The container cannot be read at all; the message says why (English, for logs)."""


@dataclass(frozen=True)
class Inner:
    """One file found inside a container.

    ``nested`` counts the embedded messages between the container and the file (0 = the
    file is attached to the container's own message); ``via`` names those messages."""

    name: str
    data: bytes
    nested: int = 0
    via: str = ""


@dataclass
class Found:
    items: list[Inner]
    empty: list[str]  # attachments listed without data (links, OLE objects)
    too_deep: list[str]  # embedded messages beyond the depth limit
    unsupported: bool = False  # TNEF holding an embedded message (not read)


# ---------------------------------------------------------------- TNEF (winmail.dat)


def tnef_items(data: bytes) -> Found:
    """Attachments of a TNEF stream, read with tnefparse after a safety pass."""
    stream, unsupported, exact = _tnef_sanitized(data)
    try:
        with warnings.catch_warnings():
            # tnefparse uses datetime.utcfromtimestamp, deprecated since Python 3.12
            warnings.simplefilter("ignore", DeprecationWarning)
            tnef = TNEF(stream, do_checksum=False)
    except Exception as exc:
        raise ContainerError(f"{type(exc).__name__}: {exc}") from exc
    found = Found([], [], [], unsupported)
    for index, att in enumerate(tnef.attachments):
        name = _tnef_name(att, tnef.codepage)
        # tnefparse replaces attAttachData by a MAPI copy with trailing NULs stripped
        # (every zip ends in two NULs): prefer the bytes of attAttachData itself
        payload = exact.get(index) or att.data
        if isinstance(payload, bytes | bytearray) and payload:
            found.items.append(Inner(name, bytes(payload)))
        else:
            found.empty.append(name)
    return found


def _tnef_sanitized(data: bytes) -> tuple[bytes, bool, dict[int, bytes]]:
    """Keep only the attributes we read, and refuse streams that would make tnefparse
    slow: it copies the rest of the stream for every attribute, and it trusts property
    counts (a count of 4 billion loops that many times). Also returns the exact
    attAttachData of each attachment, by its ordinal."""
    if data[:4] != TNEF_MAGIC:
        raise ContainerError("no TNEF signature")
    out, offset, count, unsupported = [data[:6]], 6, 0, False
    exact: dict[int, bytes] = {}
    ordinal = -1
    while offset < len(data):
        if offset + 11 > len(data):
            raise ContainerError(f"truncated TNEF attribute at byte {offset}")
        level, attr = data[offset], struct.unpack_from("<H", data, offset + 1)[0]
        size = struct.unpack_from("<I", data, offset + 5)[0]
        end = offset + size + 11
        if end > len(data):
            raise ContainerError(f"truncated TNEF attribute at byte {offset}")
        body = data[offset + 9 : end - 2]
        count += 1
        if count > _MAX_TNEF_ATTRIBUTES:
            raise ContainerError("too many TNEF attributes")
        if (level, attr) in _KEEP:
            if attr == _ATT_REND:
                ordinal += 1
            elif attr == _ATT_DATA and ordinal >= 0:
                exact[ordinal] = body
            if attr == _ATT_MAPI and _IMESSAGE_SIG in body:
                unsupported = True  # an attached message; tnefparse would parse it unchecked
            else:
                if attr == _ATT_MAPI and len(body) >= 4:
                    _check_property_count(body)
                out.append(data[offset:end])
        offset = end
    if len(out) > _MAX_TNEF_KEPT:
        raise ContainerError("too many attachments in TNEF")
    return b"".join(out), unsupported, exact


def _check_property_count(body: bytes) -> None:
    # Every MAPI property takes at least 8 bytes (tag + the smallest value, padded).
    if struct.unpack_from("<I", body)[0] > len(body) // 8:
        raise ContainerError("MAPI property count larger than its data")


def _tnef_name(att: Any, codepage: str | None) -> str:
    for prop in att.mapi_attrs:
        if prop.name == _PR_LONG_NAME:
            try:
                value = prop.data
            except Exception:  # a malformed property: fall back to the short title
                continue
            if isinstance(value, str) and value.strip("\x00"):
                return value.strip("\x00")
    raw = att._name  # the short title as stored; tnefparse's .name assumes UTF-8
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).rstrip(b"\x00")
        if codepage:
            try:
                return raw.decode(codepage)
            except (UnicodeDecodeError, LookupError):
                pass
        return decode_8bit(raw)
    return str(raw).strip("\x00")


# ---------------------------------------------------------------- Outlook .msg


def looks_like_msg(data: bytes) -> bool:
    """A compound file whose root holds MAPI property streams (not an .xls)."""
    if not data.startswith(CFB_MAGIC):
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return bool(ole.exists("__properties_version1.0"))
    except Exception:
        return False


def msg_items(data: bytes, max_nested: int) -> Found:
    """Attachments of an Outlook message, following embedded messages ``max_nested`` deep."""
    found = Found([], [], [])
    try:
        # Always a file object: olefile treats bytes shorter than 1536 as a *path*.
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("__properties_version1.0"):
                raise ContainerError("not an Outlook message (no MAPI properties)")
            _msg_walk(ole, [], 0, "", max_nested, found)
    except ContainerError:
        raise
    except Exception as exc:
        raise ContainerError(f"{type(exc).__name__}: {exc}") from exc
    return found


def _msg_walk(
    ole: _Ole, prefix: list[str], nested: int, via: str, limit: int, found: Found
) -> None:
    for storage in _attachment_storages(ole, prefix):
        if len(found.items) + len(found.empty) >= _MAX_ITEMS:
            raise ContainerError("too many attachments")
        base = [*prefix, storage]
        name = _msg_name(ole, base)
        embedded = [*base, "__substg1.0_3701000D"]
        if ole.exists(embedded) and ole.get_type(embedded) == olefile.STGTY_STORAGE:
            if nested >= limit:
                found.too_deep.append(name)
                continue
            subject = _msg_string(ole, [*embedded, "__substg1.0_0037"]) or name
            hop = f"{via} > msg:{subject}" if via else f"msg:{subject}"
            _msg_walk(ole, embedded, nested + 1, hop, limit, found)
            continue
        stream = [*base, "__substg1.0_37010102"]
        if ole.exists(stream) and ole.get_type(stream) == olefile.STGTY_STREAM:
            payload = ole.openstream(stream).read()
            if payload:
                found.items.append(Inner(name, payload, nested, via))
                continue
        found.empty.append(name)


def _attachment_storages(ole: _Ole, prefix: list[str]) -> list[str]:
    depth = len(prefix)
    names = {
        entry[depth]
        for entry in ole.listdir(streams=False, storages=True)
        if len(entry) == depth + 1
        and [e.lower() for e in entry[:depth]] == [p.lower() for p in prefix]
        and entry[depth].lower().startswith("__attach_version1.0_#")
    }
    return sorted(names)


def _msg_name(ole: _Ole, base: list[str]) -> str:
    for prop in (_PR_LONG_NAME, _PR_SHORT_NAME, _PR_DISPLAY_NAME):
        name = _msg_string(ole, [*base, f"__substg1.0_{prop:04X}"])
        if name:
            return name
    return ""


def _msg_string(ole: _Ole, path: list[str]) -> str:
    """A string property: ``001F`` is UTF-16LE, ``001E`` is 8-bit in the message codepage."""
    *parent, stem = path
    for suffix in ("001F", "001E"):
        full = [*parent, stem + suffix]
        if ole.exists(full) and ole.get_type(full) == olefile.STGTY_STREAM:
            raw: bytes = ole.openstream(full).read(4096)
            if suffix == "001F":
                return raw.decode("utf-16-le", "replace").split("\x00")[0].strip()
            return decode_8bit(raw.split(b"\x00")[0]).strip()
    return ""
