"""The coordinator's folder: ``zvit.toml``, the plan, the registry, and everything that
comes and goes during a reporting cycle. Commands find it from the current folder
upwards, or from ``-w DIR``."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import (
    RequestError,
    SettingsError,
    UsageError,
    WorkspaceError,
    WorkspaceNotFound,
)
from toolkit.fsutil import atomic_write_text
from toolkit.issues import issue
from toolkit.messages import DEFAULT_LANG, Lang, as_lang, t
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import DueDay, Plan
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revisions
from toolkit.plan.revstore import INDEX as REVISIONS_INDEX
from toolkit.plan.revstore import RevisionStore
from toolkit.resources import examples_dir, templates_dir

CONFIG = "zvit.toml"
TEMPLATES = "templates"  # the workspace's editable copies of the shipped templates
# Templates a workspace may override: ``zvit init`` copies each of these folders of the
# shipped ``templates/`` into the workspace's ``templates/``, and a file there wins over
# the shipped file of the same name (``Workspace.template``, ``template_folders``).
OVERRIDABLE_TEMPLATES: tuple[str, ...] = ("docx", "site")
T = TypeVar("T")
EXAMPLE = "luhansk-2018-2026"  # the example the no-workspace error suggests


REPORT_KEYS = ("addressee", "sender", "signer_position", "signer_name", "executor")


@dataclass(frozen=True)
class ReportSettings:
    """``[report]`` of zvit.toml: whom the report document goes to and who signs it.
    An empty value is left for the coordinator to write by hand on the printed page."""

    addressee: str = ""
    sender: str = ""
    signer_position: str = ""
    signer_name: str = ""
    executor: str = ""


@dataclass
class Workspace:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)
    _loaded: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)

    @property
    def plan_path(self) -> Path:
        return self.root / str(self.setting("plan", "file", "plan.yaml"))

    @property
    def units_path(self) -> Path:
        return self.root / str(self.setting("plan", "units", "units.yaml"))

    def plan(self, period: Period | None = None) -> Plan:
        """The plan in force for ``period`` (``revisions``); without one, the latest
        revision — the plan as it stands now (plan.yaml while it was never amended)."""
        if not self.revision_store().index.is_file():
            return self._cached(self.plan_path, partial(load_plan, cache=self.cache_folder))
        revisions = self.revisions()
        return (revisions.latest if period is None else revisions.in_force(period)).plan

    def revisions(self) -> Revisions:
        """Every revision of the plan: plan.yaml, then each amendment (``zvit plan amend``)."""
        store = self.revision_store()
        if not store.index.is_file():
            single = partial(_single, self.plan, self.plan_path.name)
            return self._cached(self.plan_path, single, tag="revisions")
        return self._cached(store.index, lambda _: store.load(), also=self.plan_path)

    def revision_store(self) -> RevisionStore:
        return RevisionStore(self.root, self.plan_path, self.cache_folder)

    def registry(self) -> Registry:
        return self._cached(self.units_path, partial(load_registry, cache=self.cache_folder))

    @property
    def cache_folder(self) -> Path:
        """The plan and registry as last checked (``plan/checked.py``): safe to delete."""
        return self.root / ".cache"

    def _cached(
        self, path: Path, loader: Callable[[Path], T], also: Path | None = None, tag: str = ""
    ) -> T:
        """Loaded (and checked) once per command, again only if the file (or ``also``,
        another file it is made from) has changed; ``tag`` tells apart two things made
        from one file."""
        try:
            key: tuple[Any, ...] = (tag, str(path), *_stamp(path))
            if also is not None:
                key += _stamp(also)
        except OSError:
            return loader(path)  # let the loader say the file is missing
        if key not in self._loaded:
            self._loaded[key] = loader(path)
        found: T = self._loaded[key]
        return found

    def number(self, section: str, key: str, default: float, *, minimum: float = 0) -> float:
        """A numeric setting of zvit.toml, checked: a wrong one is a plain message."""
        value = self.setting(section, key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            found = issue(
                "E_SETTING_NUMBER", section=section, key=key, value=value, minimum=f"{minimum:g}"
            )
            raise SettingsError(found)
        return float(value)

    @property
    def form_path(self) -> Path:
        """A form of the coordinator's own (relabelled or extra columns), if present."""
        return self.root / "form.yaml"

    def folder(self, name: str) -> Path:
        """A working folder (forms, archive, quarantine, outbox, reports), made on first use."""
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def template_folders(self, kind: str) -> tuple[Path, ...]:
        """Where the templates of ``kind`` (one of ``OVERRIDABLE_TEMPLATES``) are looked
        for, first match wins: the workspace's copy, then the shipped one."""
        return (self.root / TEMPLATES / kind, templates_dir() / kind)

    def template(self, relative: str | Path) -> Path:
        """One template file (``docx/report.docx``): the workspace's own copy if the
        coordinator has one (``zvit init`` copies them in to be edited), else the shipped."""
        for base in (self.root / TEMPLATES, templates_dir()):
            if (base / relative).is_file():
                return base / relative
        raise UsageError("workspace.template_missing", template=relative)

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        return self.config.get(section, {}).get(key, default)

    @property
    def lang(self) -> Lang:
        """``[output] lang``: the language of what zvit writes here (Ukrainian by default)."""
        return as_lang(self.setting("output", "lang", DEFAULT_LANG))

    def report_settings(self) -> ReportSettings:
        """``[report]``: each value a text; anything else is a plain message."""
        found = {}
        for key in REPORT_KEYS:
            value = self.setting("report", key, "")
            if not isinstance(value, str):
                raise UsageError("workspace.setting.not_text", key=key, value=value)
            found[key] = value.strip()
        return ReportSettings(**found)

    def executors_due(self) -> DueDay | None:
        """``[reporting] executors_due = "MM-DD"``: when executors report, for a plan
        whose decision does not say (the day after the period)."""
        text = str(self.setting("reporting", "executors_due", "") or "").strip()
        if not text:
            return None
        try:
            month, day = (int(x) for x in text.split("-"))
            date(2000, month, day)  # a real day of the year (2000 has a 29 February)
            return DueDay(month, day, next_year=True)
        except ValueError as e:
            raise UsageError("workspace.setting.due", value=text) from e


def _single(plan: Callable[[], Plan], name: str, _: Path) -> Revisions:
    return Revisions.single(plan(), name)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def find_workspace(start: Path | None = None) -> Workspace:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return open_workspace(folder)
    raise WorkspaceNotFound(issue("E_NO_WORKSPACE", folder=str(here), example=EXAMPLE))


def open_workspace(root: Path) -> Workspace:
    path = root / CONFIG
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise WorkspaceError("workspace.unreadable", path=path, detail=e) from e
    return Workspace(root.resolve(), config)


def init_workspace(
    root: Path,
    plan: Path,
    units: Path,
    *,
    extra: list[Path] | None = None,
    force: bool = False,
    lang: Lang = DEFAULT_LANG,
) -> Workspace:
    """Create a workspace holding copies of the plan and the registry (checked first), and
    a zvit.toml that explains every setting, in ``lang``."""
    load_plan(plan)
    load_registry(units)
    if (root / CONFIG).exists() and not force:
        raise UsageError("workspace.exists", folder=root)
    if (root / REVISIONS_INDEX).exists():  # amendments of the plan this would replace
        raise UsageError("revisions.init_over", folder=str(root))
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plan, root / "plan.yaml")
    shutil.copyfile(units, root / "units.yaml")
    for path in extra or []:
        shutil.copyfile(path, root / path.name)
    config = t(
        "workspace.config", lang, plan="plan.yaml", units="units.yaml", due="01-05", lang=lang
    )
    atomic_write_text(root / CONFIG, config)
    copy_templates(root)
    ws = open_workspace(root)
    ws.plan(), ws.registry()  # the checked copies kept for the commands that follow
    return ws


def init_from_example(
    root: Path, example: Path | str, force: bool = False, lang: Lang = DEFAULT_LANG
) -> Workspace:
    """A workspace from an example: a bundled one by name (``example_names``) or any
    folder holding plan.yaml and units.yaml."""
    folder = example_folder(example)
    extra = [p for p in (folder / "overrides.yaml", folder / "source.txt") if p.is_file()]
    return init_workspace(
        root, folder / "plan.yaml", folder / "units.yaml", extra=extra, force=force, lang=lang
    )


def example_names() -> tuple[str, ...]:
    """The examples bundled with zvit, by name (``zvit init DIR --from NAME``)."""
    return tuple(sorted(p.parent.name for p in examples_dir().glob("*/plan.yaml")))


def example_folder(example: Path | str) -> Path:
    """A folder of plan.yaml and units.yaml given as a path, else a bundled example by
    its name; anything else is a coded error naming the examples."""
    path = Path(example).expanduser()
    if (path / "plan.yaml").is_file() and (path / "units.yaml").is_file():
        return path
    if str(example) in example_names():
        return examples_dir() / str(example)
    names = ", ".join(example_names())
    raise RequestError(issue("E_EXAMPLE_UNKNOWN", name=str(example), names=names))


def render_examples(lang: Lang = DEFAULT_LANG) -> str:
    """The bundled examples, one line each (``zvit init --list``)."""
    lines = [t("init.list.title", lang)]
    for name in example_names():
        plan = load_plan(examples_dir() / name / "plan.yaml")
        registry = load_registry(examples_dir() / name / "units.yaml")
        line = t(
            "init.list.entry",
            lang,
            name=name,
            title=plan.title,
            issuer=plan.issuer,
            sections=len(plan.sections),
            measures=sum(1 for _ in plan.measures()),
            units=len(registry.units),
        )
        lines.append(line)
    return "\n".join(lines)


def copy_templates(root: Path, kinds: tuple[str, ...] = OVERRIDABLE_TEMPLATES) -> list[Path]:
    """Copy the shipped templates of ``kinds`` into ``root/templates/``, for the
    coordinator to restyle. A file already there is the coordinator's work and is kept,
    even by ``zvit init --force``. Returns the files copied."""
    copied = []
    for kind in kinds:
        source = templates_dir() / kind
        for path in sorted(source.rglob("*")):
            target = root / TEMPLATES / kind / path.relative_to(source)
            if path.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                copied.append(target)
    return copied
