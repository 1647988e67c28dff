"""The HTML report: one self-contained page per analysis, in Swedish or English.

It assembles what :func:`samverkan.analysis.analyse` computed (see :mod:`samverkan.report.build`);
it computes nothing itself.
"""

from .build import ReportDraft, draft_report, render_report, write_report

__all__ = ["write_report", "render_report", "draft_report", "ReportDraft"]
