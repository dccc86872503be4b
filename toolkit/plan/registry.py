"""The registry of reporting units (``units.yaml``) and the executor resolver.

A plan names its executors in free text, several to a cell. The resolver turns a cell
into references to units or groups of the registry, and returns every phrase it could
not place so that nothing is silently dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import RequestError
from toolkit.issues import issue
from toolkit.plan.model import ExecutorRef
from toolkit.text import clean, norm

CONSENT = re.compile(r"\(\s*за\s+згодою\s*\)", re.IGNORECASE)

# A factored phrase names a plural head, then the members after a colon:
# "департаменти облдержадміністрації: освіти і науки, охорони здоров'я".
# Each member is read as the singular head + member + the rest of the head.
_SINGULAR = {
    "департаменти": "департамент",
    "управління": "управління",
    "відділи": "відділ",
    "служби": "служба",
    "центри": "центр",
    "комітети": "комітет",
    "установи": "установа",
    "органи": "орган",
}
_MAX_JOIN = 5  # how many comma pieces a single name may span ("…для сім'ї, дітей та молоді")


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    short: str
    kind: str
    by_consent: bool = False
    emails: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    contact: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass
class Registry:
    units: dict[str, Unit]
    groups: dict[str, Group]
    region: str = ""
    as_of: str = ""
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        entries: list[Unit | Group] = [*self.units.values(), *self.groups.values()]
        for entry in entries:
            for phrase in (entry.name, *entry.aliases):
                self._index.setdefault(norm(CONSENT.sub("", phrase)), entry.id)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Registry:
        units = {
            u["id"]: Unit(
                id=u["id"],
                name=u["name"],
                short=u["short"],
                kind=u["kind"],
                by_consent=u.get("by_consent", False),
                emails=tuple(u.get("emails", ())),
                aliases=tuple(u.get("aliases", ())),
                contact=dict(u.get("contact", {})),
            )
            for u in d["units"]
        }
        groups = {
            g["id"]: Group(g["id"], g["name"], tuple(g["members"]), tuple(g.get("aliases", ())))
            for g in d.get("groups", ())
        }
        return cls(units, groups, d.get("region", ""), d.get("as_of", ""))

    def lookup(self, phrase: str) -> str | None:
        """The unit or group id a phrase names, or None."""
        return self._index.get(norm(CONSENT.sub("", phrase)))

    def expand(self, ids: Iterable[str]) -> list[str]:
        """Unit ids behind a list of unit and group ids, in registry order, each once."""
        wanted: set[str] = set()
        for i in ids:
            wanted.update(self._members(i, depth=0))
        return [u for u in self.units if u in wanted]

    def sole_unit(self, ids: Iterable[str]) -> str | None:
        """The one unit behind a list of unit and group ids; None when none or several.
        Stops at the second unit: a region-wide group need not be walked to its end."""
        found: set[str] = set()
        for i in ids:
            for unit in self._members(i, depth=0):
                found.add(unit)
                if len(found) > 1:
                    return None
        return next(iter(found), None)

    def _members(self, entry_id: str, depth: int) -> Iterator[str]:
        if entry_id in self.units:
            yield entry_id
        elif entry_id in self.groups and depth < 8:
            for m in self.groups[entry_id].members:
                yield from self._members(m, depth + 1)

    def find_unit(self, name: str) -> Unit:
        """The unit a person names on the command line: its id, its short or full name or
        an alias, or the start of one of them that fits one unit only — in any case,
        with any apostrophe or spacing. Raises a coded ``RequestError`` (listing the
        candidates when several fit)."""
        key = norm(name)
        if not key:
            raise RequestError(issue("E_UNIT_UNKNOWN", name=name))
        exact = [u for u in self.units.values() if key in _keys(u)]
        if len(exact) == 1:
            return exact[0]
        found = exact or [
            u for u in self.units.values() if any(k.startswith(key) for k in _keys(u))
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise RequestError(issue("E_UNIT_UNKNOWN", name=name))
        listed = "; ".join(f"{u.id} ({u.short or u.name})" for u in found[:20])
        more = f"; … (+{len(found) - 20})" if len(found) > 20 else ""
        raise RequestError(issue("E_UNIT_AMBIGUOUS", name=name, candidates=listed + more))

    def name_of(self, entry_id: str) -> str:
        entry = self.units.get(entry_id) or self.groups.get(entry_id)
        return entry.name if entry else entry_id

    def resolve(self, raw: str) -> tuple[list[ExecutorRef], list[str]]:
        """Read an executors cell: the references found and the phrases left over."""
        refs: list[ExecutorRef] = []
        unresolved: list[str] = []
        for clause in _clauses(clean(raw)):
            if ":" in clause:
                before, after = clause.split(":", 1)
                pieces = _split_commas(before)
                self._resolve_pieces(pieces[:-1], refs, unresolved)
                self._resolve_factored(pieces[-1], _split_commas(after), refs, unresolved)
            else:
                self._resolve_pieces(_split_commas(clause), refs, unresolved)
        return _dedupe(refs), unresolved

    def _resolve_factored(
        self, head: str, items: list[str], refs: list[ExecutorRef], unresolved: list[str]
    ) -> None:
        words = CONSENT.sub("", head).split()
        singular = _SINGULAR.get(words[0].lower()) if words else None
        for n, item in enumerate(items):
            core = CONSENT.sub("", item).strip()
            target = self.lookup(f"{singular} {core} {' '.join(words[1:])}") if singular else None
            if target is None:
                # The list has ended: the rest are ordinary executors after it.
                self._resolve_pieces(items[n:], refs, unresolved)
                return
            refs.append(_ref(target, f"{head}: {item}", item))

    def _resolve_pieces(
        self, pieces: list[str], refs: list[ExecutorRef], unresolved: list[str]
    ) -> None:
        i = 0
        while i < len(pieces):
            for j in range(min(len(pieces), i + _MAX_JOIN), i, -1):
                phrase = ", ".join(pieces[i:j])
                found = self.lookup(phrase)
                if found:
                    refs.append(_ref(found, phrase, phrase))
                    i = j
                    break
            else:
                split = self._split_conjunction(pieces[i])
                if split:
                    refs.extend(split)
                elif pieces[i].strip(" ,.;"):
                    unresolved.append(pieces[i].strip(" ,;"))
                i += 1

    def _split_conjunction(self, piece: str) -> list[ExecutorRef] | None:
        """ "A та B": accepted only when both sides are known names."""
        for conj in (" та ", " і ", " й "):
            parts = piece.split(conj)
            if len(parts) > 1:
                found = [self.lookup(p) for p in parts]
                if all(found):
                    return [_ref(f, p, p) for f, p in zip(found, parts, strict=True) if f]
        return None


def _keys(u: Unit) -> set[str]:
    return {norm(text) for text in (u.id, u.short, u.name, *u.aliases) if text}


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


def _split_commas(text: str) -> list[str]:
    """Split on commas outside «quotes» and (brackets)."""
    pieces: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text:
        if ch in "«(“":
            depth += 1
        elif ch in "»)”" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            pieces.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    pieces.append("".join(buf).strip())
    return [p for p in pieces if p]


def _ref(entry_id: str, phrase: str, consent_source: str) -> ExecutorRef:
    return ExecutorRef(entry_id, clean(phrase), bool(CONSENT.search(consent_source)))


def _dedupe(refs: list[ExecutorRef]) -> list[ExecutorRef]:
    seen: set[str] = set()
    out = []
    for r in refs:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out
