"""``zvit demo``: the whole reporting cycle on both bundled plans, in a folder of its own.

For each example: import the plan from its source text and check it; make a workspace;
generate the forms of the period for every unit; let simulated executors fill them and
reply by e-mail (see ``executors.py``) into a maildir; collect and validate the replies;
name the problems found by code and show who reported; write the consolidated report; say
where each output lies (``summary.py``). Everything lands in ``output/<example>`` to be
opened and inspected.

May import: any package of the library, as a coordinator's script would."""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from datetime import date, datetime
from pathlib import Path

from toolkit.collect.run import collect
from toolkit.demo.executors import Behaviour, Setting, deliver, replies
from toolkit.demo.summary import Places, place_lines, problem_lines
from toolkit.errors import UsageError
from toolkit.forms.definition import load_definition
from toolkit.forms.make import FormRequest, make_forms
from toolkit.issues import count_by_severity
from toolkit.ledger.status import period_status
from toolkit.ledger.status_text import render_status
from toolkit.ledger.store import record_issued_forms
from toolkit.messages import DEFAULT_LANG, Lang, t
from toolkit.periods import Period
from toolkit.plan.check import check_plan
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_registry, save_plan
from toolkit.plan.overrides import Overrides
from toolkit.publish.site import publish
from toolkit.report.build import build_report
from toolkit.resources import examples_dir
from toolkit.workspace import Workspace, init_workspace

EXAMPLES = {"luhansk-2018-2026": Period(2025), "hlukhiv-2020-2026": Period(2025)}
MARKER = ".zvit-demo"
REPORT_DAY = date(2026, 2, 1)  # the demo's "today": after every reply, before the deadline
FIRST_REPLY = datetime(2026, 1, 2, 9, 0).astimezone()


def run_demo(output: Path, lang: Lang = DEFAULT_LANG) -> Iterator[str]:
    """The lines to print as the demo goes; every output is made in ``lang``."""
    _prepare(output)
    for name, period in EXAMPLES.items():
        yield f"\n== {name}: {period.label(lang)} =="
        yield from _cycle(name, period, output / name, lang)
    yield "\n" + t("demo.done", lang, folder=output.resolve())


def _prepare(output: Path) -> None:
    """The demo folder is the demo's own: made anew, but never over somebody's files."""
    if output.exists():
        if not (output / MARKER).is_file():
            raise UsageError("demo.folder_taken", folder=output)
        shutil.rmtree(output)
    output.mkdir(parents=True)
    (output / MARKER).write_text("zvit demo\n", encoding="utf-8")


def _cycle(name: str, period: Period, root: Path, lang: Lang) -> Iterator[str]:
    ws = yield from _workspace(name, root, lang)
    plan, registry = ws.plan(period), ws.registry()
    coordinator = registry.units[plan.coordinator]
    folder = ws.folder("forms") / str(period)
    request = FormRequest(period, folder, lang=lang, reply_to=coordinator.emails[0])
    forms = make_forms(plan, registry, request, fallback_due=ws.executors_due())
    record_issued_forms(ws, plan, period, forms)
    yield t("demo.forms", lang, count=len(forms), folder=f"forms/{period}/")
    setting = Setting(
        plan, registry, load_definition("annual"), period, coordinator.emails[0], FIRST_REPLY
    )
    messages, kinds = replies(setting, forms)
    deliver(root / "inbox", messages)
    yield _replied(len(messages), kinds, lang)
    run = collect(ws, [root / "inbox"], period)
    yield t("demo.collected", lang, **run.counts())
    yield from problem_lines(run, registry, lang)
    summary = render_status(period_status(ws, period), lang).splitlines()[:3]
    command = f"zvit -w {root} status --period {period}"
    yield "\n".join([*summary, t("demo.status_each", lang, command=command)])
    built = build_report(ws, period, made_on=REPORT_DAY)
    document = build_report(ws, period, fmt="docx", made_on=REPORT_DAY)
    site = publish(ws, (period,), root / "site", made_on=REPORT_DAY)
    paths = Places(run, built.path, document.path, site.folder)
    yield from place_lines(root, str(period), paths, lang)


def _replied(messages: int, kinds: dict[str, Behaviour], lang: Lang) -> str:
    def n(*what: str) -> int:
        return sum(b.kind in what for b in kinds.values())

    return t(
        "demo.replied",
        lang,
        messages=messages,
        silent=n("silent"),
        late=sum(b.late for b in kinds.values()),
        sloppy=n("sloppy"),
        careless=n("careless"),
        plan_edit=n("plan_edit"),
        wrong_period=n("wrong_period"),
        wrong_format=n("wrong_format"),
        resubmits=sum(b.resubmits for b in kinds.values()),
    )


def _workspace(name: str, root: Path, lang: Lang) -> Generator[str, None, Workspace]:
    """Import the plan from its source text as a coordinator would, check it, and make
    the workspace around it."""
    folder = examples_dir() / name
    registry = load_registry(folder / "units.yaml")
    result = import_plan(folder / "source.txt", registry, Overrides.load(folder / "overrides.yaml"))
    if result.plan is None:
        raise UsageError("demo.import_failed", name=name)
    root.mkdir(parents=True)
    save_plan(result.plan, root / "imported-plan.yaml", lang)
    checked = count_by_severity(check_plan(result.plan, registry, "plan.yaml"))
    repairs = count_by_severity(result.issues)["info"]
    yield t(
        "demo.plan",
        lang,
        title=result.plan.title,
        sections=len(result.plan.sections),
        measures=sum(1 for _ in result.plan.measures()),
        repairs=repairs,
        errors=checked["error"],
        warnings=checked["warning"],
    )
    ws = init_workspace(
        root,
        root / "imported-plan.yaml",
        folder / "units.yaml",
        extra=[folder / "source.txt", folder / "overrides.yaml"],
        lang=lang,
    )
    (root / "imported-plan.yaml").unlink()
    return ws
