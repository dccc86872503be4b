"""The public web page of the plan's progress (``zvit publish``): the consolidated data of
a period or a run of periods → a static site with open data beside it, self-contained,
accessible and without personal data. ``view`` takes what may be shown from the report's
model, ``changes`` and ``course`` compare periods, ``tables`` and ``opendata`` make the
open data, ``render`` fills the Jinja2 templates (``templates/site/``), ``site.publish``
does it all from a workspace.

May import: the foundation, ``plan``, ``workspace``, ``forms`` (the form's headers) and
``report`` (its model and ``report.build.consolidate_workspace``, which decides what counts).
Never the ledger's store (the report reads it), ``collect``, ``mail`` or ``mailio``."""

from toolkit.publish.site import Published, publish

__all__ = ["Published", "publish"]
