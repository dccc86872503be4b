"""What collect is given, walked: folders in name order, clutter and the workspace's own
folders left out, each file named where it really is (links followed) and as it is seen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from toolkit.collect.gather import FileInput, gather

XLSX = b"PK\x03\x04 a returned workbook"


def _files(inputs: list[object]) -> list[FileInput]:
    found = [i for i in inputs if isinstance(i, FileInput)]
    assert len(found) == len(inputs)
    return found


def test_a_folder_is_walked_in_name_order_without_clutter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "b-sub").mkdir(parents=True)
    for name in ("c.xlsx", "a.xlsx", "~$a.xlsx", ".hidden.xlsx", "Thumbs.db"):
        (inbox / name).write_bytes(XLSX)
    (inbox / "b-sub" / "d.xlsx").write_bytes(XLSX)
    monkeypatch.chdir(tmp_path)
    found = _files(list(gather([Path("inbox"), Path("inbox/c.xlsx")])))  # relative, as typed
    assert [f.source.filename for f in found] == ["a.xlsx", "d.xlsx", "c.xlsx", "c.xlsx"]
    assert [f.source.location for f in found] == [
        str(tmp_path.resolve() / "inbox" / name)
        for name in ("a.xlsx", "b-sub/d.xlsx", "c.xlsx", "c.xlsx")
    ]
    assert [f.order for f in found] == sorted(f.order for f in found)
    assert all(f.size == len(XLSX) for f in found)


def test_the_workspace_folders_are_left_out_however_they_are_reached(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "archive").mkdir(parents=True)
    (root / "archive" / "old.xlsx").write_bytes(XLSX)
    (root / "new.xlsx").write_bytes(XLSX)
    (root / "zvit.toml").write_text("[collect]\n", encoding="utf-8")
    (root / "zvit.db").write_bytes(b"SQLite format 3\x00")
    assert [f.source.filename for f in _files(list(gather([root], root)))] == ["new.xlsx"]
    if sys.platform != "win32":  # the workspace reached through a link to it
        os.symlink(root, tmp_path / "link")
        found = _files(list(gather([tmp_path / "link"], root)))
        assert [f.source.filename for f in found] == ["new.xlsx"]
        assert found[0].source.location == str((root / "new.xlsx").resolve())


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_a_linked_file_is_named_as_seen_and_located_where_it_is(tmp_path: Path) -> None:
    store, inbox = tmp_path / "store", tmp_path / "inbox"
    (store / "deep").mkdir(parents=True)
    inbox.mkdir()
    (store / "real.xlsx").write_bytes(XLSX)
    (store / "deep" / "x.xlsx").write_bytes(XLSX)
    os.symlink(store / "real.xlsx", inbox / "звіт.xlsx")
    os.symlink(store / "deep", inbox / "folder-link")  # may lead back up the tree: skipped
    [found] = _files(list(gather([inbox])))
    assert found.source.filename == "звіт.xlsx"
    assert found.source.location == str((store / "real.xlsx").resolve())
