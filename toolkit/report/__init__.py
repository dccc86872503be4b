"""The consolidated report of a period: ``merge.merge`` combines the accepted submissions
into plain data, ``writer.write_report`` renders the workbook and ``export`` the data
table; ``build.build_report`` does it all from a workspace and its ledger.

May import: the foundation, ``plan``, ``workspace``, ``forms``, ``validate`` (its
results) and ``ledger``. Never ``collect`` or ``mail``.

(``merge`` is deliberately not re-exported here: the function would shadow its module.)"""

from toolkit.report.build import ReportInputs, build_report
from toolkit.report.writer import render_report, write_report

__all__ = ["ReportInputs", "build_report", "render_report", "write_report"]
