"""The redline review PDF: ``build_redline`` / ``write_redline`` (see redline.py)."""

from workbench.pdf.document import Finding, RedlineOptions
from workbench.pdf.redline import HistoryInput, build_redline, write_redline

__all__ = ["Finding", "HistoryInput", "RedlineOptions", "build_redline", "write_redline"]
