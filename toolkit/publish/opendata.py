"""The page's tables as open data: CSV and JSON beside the page, and their structure.

Follows the conventions of Ukraine's open-data portal (data.gov.ua, the recommendations
for the datasets of CMU resolution No 835; docs/guide.md names them): one table per file,
the first CSV row naming the columns; column names in Latin lowerCamelCase that never
change with the language or the plan; UTF-8, comma-separated (RFC 4180), decimals with a
point, dates as ISO 8601; and a structure file per dataset with ``name, title,
description, datatype, required`` for every column — as CSV (``structure.csv``) and as
CSV on the Web metadata (``structure.json``), with the licence.

Texts from executors are data, so they are written as they are, with one exception: a
text starting with ``= + - @`` gets a leading ``'`` (``report.export.safe_text``) so a
spreadsheet opening the CSV never runs it as a formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.messages import Lang, t
from toolkit.publish.tables import Field, Table
from toolkit.report.export import safe_text


@dataclass(frozen=True)
class Meta:
    title: str
    publisher: str
    license: str
    license_url: str
    made_on: date
    lang: Lang


# ---- titles and descriptions -----------------------------------------------------------


def title(f: Field, lang: Lang) -> str:
    return f.header or t(f"publish.field.{f.name}", lang)


def description(f: Field, lang: Lang) -> str:
    if f.about:
        return t(f"publish.field.{f.about}.about", lang, header=f.header)
    return t(f"publish.field.{f.name}.about", lang)


# ---- files -----------------------------------------------------------------------------


def files(found: tuple[Table, ...], meta: Meta) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every open-data file: each table as CSV and JSON, then the
    structure."""
    for table in found:
        yield f"{table.name}.csv", to_csv(table)
        yield f"{table.name}.json", to_json(table, meta)
    yield "structure.csv", structure_csv(found, meta.lang)
    yield "structure.json", structure_json(found, meta)


def to_csv(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f.name for f in table.fields])
    for row in table.rows:
        writer.writerow([csv_value(row.get(f.name)) for f in table.fields])
    return buf.getvalue().encode("utf-8")


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_json(table: Table, meta: Meta) -> bytes:
    doc = {
        "table": table.name,
        "title": t(f"publish.table.{table.name}", meta.lang),
        "dataset": meta.title,
        "publisher": meta.publisher,
        "license": meta.license,
        "licenseUrl": meta.license_url or None,
        "modified": meta.made_on.isoformat(),
        "columns": [f.name for f in table.fields],
        "primaryKey": list(table.key),
        "rows": [
            {f.name: _json_value(row.get(f.name)) for f in table.fields} for row in table.rows
        ],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def structure_csv(found: tuple[Table, ...], lang: Lang) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["table", "name", "title", "description", "datatype", "required"])
    for table in found:
        for f in table.fields:
            writer.writerow(
                [
                    f"{table.name}.csv",
                    f.name,
                    title(f, lang),
                    description(f, lang),
                    f.datatype,
                    "true" if f.required else "false",
                ]
            )
    return buf.getvalue().encode("utf-8")


def structure_json(found: tuple[Table, ...], meta: Meta) -> bytes:
    """CSV on the Web (W3C) metadata of the dataset: a reader's program can load every
    table with its column types from this one file."""
    lang = meta.lang
    doc: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": lang}],
        "dc:title": meta.title,
        "dc:publisher": meta.publisher,
        "dc:modified": meta.made_on.isoformat(),
        "dc:rights": meta.license,
        "dialect": {"delimiter": ",", "encoding": "utf-8", "header": True},
        "tables": [_table_json(table, lang) for table in found],
    }
    if meta.license_url:
        doc["dc:license"] = {"@id": meta.license_url}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _table_json(table: Table, lang: Lang) -> dict[str, Any]:
    columns = []
    for f in table.fields:
        columns.append(
            {
                "name": f.name,
                "titles": title(f, lang),
                "dc:description": description(f, lang),
                "datatype": f.datatype,
                "required": f.required,
            }
        )
    return {
        "url": f"{table.name}.csv",
        "dc:title": t(f"publish.table.{table.name}", lang),
        "tableSchema": {"columns": columns, "primaryKey": list(table.key)},
    }
