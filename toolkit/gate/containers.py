"""Opening what returned files come packed in: a zip archive of forms, an Outlook .msg
saved from the mail client. Members are inflated through the bounded reader of
``safety`` (never past the size they declare) within limits made for an archive of
returns; a member that cannot be read is an issue, the others go on."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Collection

from toolkit.gate.safety import MIB, CorruptZip, LimitExceeded, Limits, ZipPackage, printable
from toolkit.issues import Issue, Location, issue
from toolkit.mailio.outlook import CFB_MAGIC, ContainerError, msg_items
from toolkit.mailio.parse import KEEP_EXTENSIONS, ZIP_MAGIC, clean_name

# An archive of a region's returns: many forms, none larger than a mail attachment may be.
ARCHIVE_LIMITS = Limits(
    max_file_size=256 * MIB,
    max_members=2000,
    max_directory_size=4 * MIB,
    max_total_size=256 * MIB,
    max_member_size=32 * MIB,
)
MSG_DEPTH = 2
_OFFICE_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/workbook.bin", "mimetype")
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}

Files = tuple[tuple[str, bytes], ...]


def open_container(data: bytes, fmt: str) -> tuple[Files, tuple[Issue, ...]] | None:
    """The files inside, with the problems met; None when there is nothing to open (the
    container is then checked as a file itself, and quarantined)."""
    try:
        files, found = unzip(data) if fmt == "zip" else _msg(data)
    except (CorruptZip, LimitExceeded, zipfile.BadZipFile, ContainerError):
        return None
    if not files and not found:
        return None
    return files, found


def holds_document(names: Collection[str]) -> bool:
    """Do these zip members make an office document (not an archive of files)?"""
    return any(part in names for part in _OFFICE_PARTS)


def unzip(data: bytes) -> tuple[Files, tuple[Issue, ...]]:
    pkg = ZipPackage(data, ARCHIVE_LIMITS)
    if pkg.limit_problems() or pkg.structure_problems():
        raise CorruptZip("the archive is outside the limits or damaged")
    files: list[tuple[str, bytes]] = []
    found: list[Issue] = []
    for info in pkg.members:
        name = member_name(info)
        if info.is_dir() or _junk(name):
            continue
        where = Location(file=printable(name, 120))
        try:
            files.append((name, b"".join(pkg.stream(info))))
        except LimitExceeded as e:
            found.append(
                issue(
                    "E_ZIP_LIMIT",
                    where,
                    check=e.check,
                    value=e.value,
                    limit=e.limit,
                    part=printable(e.part),
                )
            )
        except CorruptZip as e:
            code = "E_ENCRYPTED" if "encrypted" in str(e) else "E_CORRUPT"
            found.append(
                issue(code, where)
                if code == "E_ENCRYPTED"
                else issue(code, where, detail=str(e)[:200])
            )
        except zlib.error as e:
            found.append(issue("E_CORRUPT", where, detail=f"zlib: {e}"[:200]))
    return tuple(files), tuple(found)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker meant it. Without the UTF-8 flag zipfile reads it as
    cp437, but Windows writes the OEM code page: cp866 for Cyrillic, which has no «і»;
    Ukrainian DOS tools write cp1125, whose «Іі» cp866 reads as the Belarusian «Ўў»
    (and some tools write UTF-8 without the flag)."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp866")
    return raw.decode("cp1125") if "ў" in text.lower() else text


def _junk(name: str) -> bool:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return (
        name.startswith("__MACOSX/") or base.startswith(("._", "~$")) or base.lower() in _JUNK_NAMES
    )


def _msg(data: bytes) -> tuple[Files, tuple[Issue, ...]]:
    found = msg_items(data, MSG_DEPTH)
    where = Location(file="message.msg")
    issues = [
        issue("W_CONTAINER_ITEM_UNREAD", where, container="message.msg", name=clean_name(name))
        for name in found.empty
    ]
    issues += [
        issue(
            "W_MAIL_DEPTH_LIMIT", where, name=clean_name(name), depth=MSG_DEPTH + 1, limit=MSG_DEPTH
        )
        for name in found.too_deep
    ]
    files = tuple(
        (clean_name(item.name) or "attachment", item.data)
        for item in found.items
        if _spreadsheet_like(item.name, item.data)
    )
    return files, tuple(issues)


def _spreadsheet_like(name: str, data: bytes) -> bool:
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return ext in KEEP_EXTENSIONS or data.startswith((ZIP_MAGIC, CFB_MAGIC))
