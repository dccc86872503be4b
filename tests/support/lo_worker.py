"""UNO worker: fills and re-saves spreadsheets in a running LibreOffice.

Runs under the Python that can ``import uno`` (Debian: ``/usr/bin/python3`` with the
``python3-uno`` package), NOT under the project's venv, and is driven by
``tests/support/libreoffice.py``. Keep it free of project imports and of anything newer
than the system Python.

Protocol: one JSON object per line. After connecting, the worker writes
``{"ok": true, "ready": true, ...}`` (or ``{"ok": false, "error": ...}`` and exits). Then,
for each request line on stdin it writes exactly one response line, echoing the request's
"id" (the caller skips late answers to requests it gave up on):

    {"cmd": "fill", "src": path, "dst": path, "fmt": "xlsx",
     "cells": [[sheet, "B3", value], ...],
     "ops": [{"op": "insert_row", "sheet": name, "before": 6}, ...]}
    {"cmd": "convert", "src": path, "dst": path, "fmt": "ods"}
    {"cmd": "quit"}            -> terminates LibreOffice, then the worker exits
    => {"ok": true, ...} | {"ok": false, "error": "...", "traceback": "..."}
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]
from com.sun.star.sheet.CellFlags import (  # type: ignore[import-not-found]
    DATETIME,
    FORMULA,
    STRING,
    VALUE,
)

FILTERS = {
    "xlsx": "Calc MS Excel 2007 XML",
    "ods": "calc8",
    "xls": "MS Excel 97",
    "docx": "MS Word 2007 XML",
    "odt": "writer8",
    "doc": "MS Word 97",
    "rtf": "Rich Text Format",
}
PDF_FILTERS = {True: "calc_pdf_Export", False: "writer_pdf_Export"}  # by: is a spreadsheet
CLEARED_BY_DELETE_KEY = VALUE | DATETIME | STRING | FORMULA


def props(**values: Any) -> tuple[Any, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def connect(port: int, timeout: float) -> Any:
    """Return the Desktop of the soffice listening on ``port``; it may still be starting."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def load(desktop: Any, path: str) -> Any:
    url = uno.systemPathToFileUrl(str(Path(path).resolve()))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props(Hidden=True))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {path}")
    return doc


def store(doc: Any, path: str, fmt: str) -> None:
    url = uno.systemPathToFileUrl(str(Path(path).resolve()))
    if fmt == "pdf":  # printed as File → Export as PDF does, by the document's own kind
        spreadsheet = doc.supportsService("com.sun.star.sheet.SpreadsheetDocument")
        doc.storeToURL(url, props(FilterName=PDF_FILTERS[spreadsheet], Overwrite=True))
        return
    doc.storeToURL(url, props(FilterName=FILTERS[fmt], Overwrite=True))


def sheet_named(doc: Any, name: str) -> Any:
    sheets = doc.Sheets
    if not sheets.hasByName(name):
        raise KeyError(f"no sheet {name!r}; sheets are {list(sheets.ElementNames)}")
    return sheets.getByName(name)


def apply_op(doc: Any, op: dict[str, Any]) -> None:
    kind = op["op"]
    sheet = sheet_named(doc, op["sheet"])
    if kind in ("insert_row", "delete_row") and sheet.isProtected():
        # LibreOffice would raise a bare RuntimeException naming a source file.
        raise PermissionError(f"sheet {op['sheet']!r} is protected; unprotect it first")
    if kind == "insert_row":
        sheet.Rows.insertByIndex(op["before"] - 1, 1)
    elif kind == "delete_row":
        sheet.Rows.removeByIndex(op["row"] - 1, 1)
    elif kind == "rename_sheet":
        sheet.Name = op["new_name"]
    elif kind == "unprotect":
        sheet.unprotect("")
    else:
        raise ValueError(f"unknown op {kind!r}")


def type_cells(doc: Any, cells: list[list[Any]]) -> None:
    """Type [sheet, address, value] entries; one UNO round trip per cell where possible."""
    by_sheet: dict[str, list[tuple[str, Any]]] = {}
    for sheet_name, address, value in cells:
        by_sheet.setdefault(sheet_name, []).append((address, value))
    for sheet_name, entries in by_sheet.items():
        sheet = sheet_named(doc, sheet_name)
        protected = sheet.isProtected()
        for address, value in entries:
            cell = sheet.getCellRangeByName(address)
            if protected and cell.CellProtection.IsLocked:
                # The UI refuses this; FormulaLocal would silently keep the old value.
                raise PermissionError(
                    f"{sheet_name}!{address} is locked on a protected sheet; unprotect it first"
                )
            set_cell(cell, value)


def set_cell(cell: Any, value: Any) -> None:
    if value is None:
        cell.clearContents(CLEARED_BY_DELETE_KEY)
    elif isinstance(value, str):
        # FormulaLocal is what the UI's input line does: parse with the office locale and
        # apply the detected date/percent/boolean format. setFormula would parse en-US
        # and leave a typed date as a bare number.
        cell.FormulaLocal = value
    else:
        cell.setValue(value)


def fill(desktop: Any, request: dict[str, Any]) -> None:
    doc = load(desktop, request["src"])
    try:
        for op in request["ops"]:
            apply_op(doc, op)
        type_cells(doc, request["cells"])
        store(doc, request["dst"], request["fmt"])
    finally:
        doc.close(True)


def convert(desktop: Any, request: dict[str, Any]) -> None:
    doc = load(desktop, request["src"])
    try:
        store(doc, request["dst"], request["fmt"])
    finally:
        doc.close(True)


def terminate(desktop: Any) -> None:
    # The bridge goes down while soffice exits.
    with contextlib.suppress(DisposedException):
        desktop.terminate()


def serve(desktop: Any, out: Any) -> None:
    for line in sys.stdin:
        request = json.loads(line)
        reply = handle(desktop, request)
        out.write(json.dumps({**reply, "id": request.get("id")}) + "\n")
        out.flush()
        if request.get("cmd") == "quit":
            return
    terminate(desktop)  # stdin closed: the test process is gone, take soffice with us


def handle(desktop: Any, request: dict[str, Any]) -> dict[str, Any]:
    cmd = request.get("cmd")
    try:
        if cmd == "quit":
            terminate(desktop)
        elif cmd == "fill":
            fill(desktop, request)
        elif cmd == "convert":
            convert(desktop, request)
        else:
            raise ValueError(f"unknown cmd {cmd!r}")
    except Exception as exc:  # report every failure to the caller, keep serving
        return {"ok": False, "error": repr(exc), "traceback": traceback.format_exc()}
    return {"ok": True}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    # Only protocol lines may reach the real stdout.
    out, sys.stdout = sys.stdout, sys.stderr
    try:
        desktop = connect(args.port, args.timeout)
    except Exception as exc:
        message = f"could not connect to soffice on port {args.port}: {exc!r}"
        out.write(json.dumps({"ok": False, "error": message}) + "\n")
        out.flush()
        return 1
    out.write(json.dumps({"ok": True, "ready": True}) + "\n")
    out.flush()
    serve(desktop, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
