"""The redline review PDF: ``build_redline`` / ``write_redline`` (see redline.py)."""

from workbench.reports.pdf.document import RedlineOptions
from workbench.reports.pdf.redline import build_redline, write_redline

__all__ = ["RedlineOptions", "build_redline", "write_redline"]
