"""JSON text for what zvit stores and writes. orjson does it several times faster than the
standard library (the answers of a thousand forms, a run report of a thousand files);
what orjson refuses (NaN, integers beyond 64 bits) goes the standard way."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(data: Any, *, indent: bool = False) -> str:
    """UTF-8 text, not ASCII-escaped: compact, or indented by two spaces for people."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0).decode("utf-8")
    except TypeError:
        if indent:
            return json.dumps(data, ensure_ascii=False, indent=2)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # written by the standard library: NaN and the like
        return json.loads(text)
