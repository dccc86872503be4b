"""The archive: originals kept byte for byte in packs written once, read back by the path
the ledger keeps; the older one-file-per-original layout still read."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from toolkit.collect import archive as archive_module
from toolkit.collect.archive import Archive, read_original


def _original(text: str) -> tuple[bytes, str]:
    data = f"PK\x03\x04 returned workbook {text}".encode()
    return data, hashlib.sha256(data).hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "archive").iterdir())


def test_an_original_is_kept_whole_and_unchanged_once_its_pack_is_flushed(tmp_path: Path) -> None:
    data, sha = _original("a")
    archive = Archive(tmp_path, "run3")
    rel = archive.store(data, sha, "xlsx", "звіт.xlsx")
    pack, member = rel.split(".zip/")
    assert pack.startswith("archive/") and pack.endswith("-run3-001")
    assert member == f"{sha}.xlsx"
    assert not (tmp_path / f"{pack}.zip").exists()  # named only when complete
    archive.flush()
    assert _files(tmp_path) == [Path(f"{pack}.zip").name]  # nothing partial left
    assert read_original(tmp_path, rel) == data
    assert data in (tmp_path / f"{pack}.zip").read_bytes()  # stored, not compressed
    with zipfile.ZipFile(tmp_path / f"{pack}.zip") as zf:
        assert zf.testzip() is None
        assert zf.namelist() == [member]


def test_the_same_bytes_are_kept_once_whatever_their_name(tmp_path: Path) -> None:
    data, sha = _original("a")
    archive = Archive(tmp_path, "run1")
    rel = archive.store(data, sha, "xlsx", "звіт.xlsx")
    assert archive.store(data, sha, "xlsx", "інша назва.xlsx") == rel  # the bytes decide
    archive.flush()
    with zipfile.ZipFile(tmp_path / f"{rel.split('.zip/')[0]}.zip") as zf:
        assert zf.namelist() == [f"{sha}.xlsx"]


def test_a_flushed_pack_is_never_written_again(tmp_path: Path) -> None:
    (a, sha_a), (b, sha_b) = _original("a"), _original("b")
    archive = Archive(tmp_path, "run1")
    first = archive.store(a, sha_a, "xlsx")
    archive.flush()
    pack = tmp_path / f"{first.split('.zip/')[0]}.zip"
    before = pack.read_bytes()
    second = archive.store(b, sha_b, "zip", "листи.zip")
    archive.flush()
    assert second.split(".zip/")[0] != first.split(".zip/")[0]
    assert second.endswith(f"{sha_b}.zip")
    assert pack.read_bytes() == before
    assert read_original(tmp_path, first) == a and read_original(tmp_path, second) == b


def test_runs_with_the_same_label_in_the_same_second_get_packs_of_their_own(tmp_path: Path) -> None:
    (a, sha_a), (b, sha_b) = _original("a"), _original("b")
    one, two = Archive(tmp_path, "run1"), Archive(tmp_path, "run1")
    rel_a = one.store(a, sha_a, "xlsx")
    one.flush()
    rel_b = two.store(b, sha_b, "xlsx")
    two.flush()
    assert rel_a.split(".zip/")[0] != rel_b.split(".zip/")[0]
    assert read_original(tmp_path, rel_a) == a and read_original(tmp_path, rel_b) == b


def test_a_large_pack_is_completed_before_the_next_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_module, "_PACK_BYTES", 10)
    (a, sha_a), (b, sha_b) = _original("a"), _original("b")
    archive = Archive(tmp_path, "run1")
    first = archive.store(a, sha_a, "xlsx")
    second = archive.store(b, sha_b, "xlsx")
    assert read_original(tmp_path, first) == a  # complete while the next pack is open
    archive.flush()
    assert read_original(tmp_path, second) == b
    assert len(_files(tmp_path)) == 2


def test_a_discarded_pack_leaves_nothing(tmp_path: Path) -> None:
    data, sha = _original("a")
    archive = Archive(tmp_path, "run1")
    archive.store(data, sha, "xlsx")
    archive.discard()
    archive.flush()  # nothing left to complete
    assert _files(tmp_path) == []


def test_an_original_of_an_older_workspace_is_read_from_its_own_file(tmp_path: Path) -> None:
    data, sha = _original("a")
    rel = f"archive/{sha[:2]}/{sha}.xlsx"
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_bytes(data)
    assert read_original(tmp_path, rel) == data


def test_a_pack_held_for_a_moment_by_another_program_still_gets_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, refused = archive_module.os.replace, []

    def replace(src: object, dst: object) -> None:
        if len(refused) < 3:  # as a virus scanner holding the new file on Windows
            refused.append(dst)
            raise PermissionError(13, "used by another process")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(archive_module.os, "replace", replace)
    data, sha = _original("a")
    archive = Archive(tmp_path, "run1")
    rel = archive.store(data, sha, "xlsx")
    archive.flush()
    assert len(refused) == 3 and read_original(tmp_path, rel) == data


def test_an_original_missing_or_damaged_is_an_os_error(tmp_path: Path) -> None:
    data, sha = _original("a")
    archive = Archive(tmp_path, "run1")
    rel = archive.store(data, sha, "xlsx")
    archive.flush()
    pack = tmp_path / f"{rel.split('.zip/')[0]}.zip"
    with pytest.raises(OSError):
        read_original(tmp_path, rel.replace(sha, "0" * 64))  # no such member
    pack.write_bytes(pack.read_bytes().replace(data, b"x" * len(data)))
    with pytest.raises(OSError):
        read_original(tmp_path, rel)  # its CRC no longer matches
    pack.write_bytes(b"not a zip")
    with pytest.raises(OSError):
        read_original(tmp_path, rel)
    with pytest.raises(OSError):
        read_original(tmp_path, "archive/gone.zip/" + f"{sha}.xlsx")
