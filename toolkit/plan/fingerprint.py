"""A plan's fingerprint: what a form names its plan (and its revision) by."""

from __future__ import annotations

import hashlib
import json

from toolkit.plan.model import Plan


def plan_fingerprint(plan: Plan) -> str:
    """Changes whenever a measure's words, deadline, executors or indicator change, or
    its identity across revisions (a plan never amended keeps its fingerprint)."""
    content = [
        [m.id, m.text, m.deadline.raw, m.executors.raw, m.indicator.raw, m.indicator.target]
        + ([m.key, *m.follows] if m.key != m.id or m.follows else [])
        for m in plan.measures()
    ]
    canonical = json.dumps([plan.id, content], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
