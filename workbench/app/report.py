"""The quarter's review written to a file, as both front ends do it: ``sla-workbench
report`` and File ▸ Export QBR report… call :func:`write_report` (build the review,
lay it out as a PDF or a slide deck by the file's suffix, write it atomically), and
name the file with :func:`report_file_name`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from models.atomic import atomic_write_bytes
from workbench.progress import ProgressCallback, report, scaled

if TYPE_CHECKING:
    from models.contract import Contract
    from models.history import History
    from workbench.app.quarters import Quarter
    from workbench.reports.pdf.template import Cover

FORMS = (".pdf", ".pptx")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def report_form(out: str | Path) -> str:
    """The form a file name asks for (".pdf" or ".pptx"); a ValueError for another suffix."""
    form = Path(out).suffix.lower()
    if form not in FORMS:
        raise ValueError(f"{Path(out).name}: the output's suffix chooses the form: .pdf or .pptx")
    return form


def report_file_name(client: str, quarter_label: str, form: str = ".pdf") -> str:
    """``QBR Q3 2026 Lakeshore Dental Group.pdf``: the quarter and the client, readable,
    with only the characters no file system refuses."""
    name = " ".join(_UNSAFE.sub("-", client).split()).strip(" .-")
    return " ".join(x for x in ("QBR", quarter_label, name) if x) + form


def write_report(
    out: str | Path,
    history: History,
    contract: Contract,
    quarter: Quarter,
    *,
    proposal: Contract | None = None,
    proposal_label: str = "",
    as_of: int | None = None,
    cover: Cover | None = None,
    paper: str = "",
    progress: ProgressCallback | None = None,
) -> Path:
    """Build the quarter's review and write it to ``out`` (PDF or deck by its suffix),
    atomically: on any error, or when ``progress`` cancels, nothing is written and an
    existing file is left as it was.  Raises ``QbrError`` for a quarter the history
    does not reach, ValueError for another suffix."""
    from workbench.reports.qbr import build_qbr

    form = report_form(out)
    qbr = build_qbr(
        history,
        contract,
        quarter,
        proposal=proposal,
        proposal_label=proposal_label,
        as_of=as_of,
        progress=scaled(progress, 0.0, 0.6),
    )
    report(progress, 0.6, "laying out the review")
    if form == ".pdf":
        from workbench.reports.qbr_pdf import render_qbr_pdf

        data = render_qbr_pdf(qbr, contract, progress=scaled(progress, 0.6, 0.98), paper=paper, cover=cover)
    else:
        from workbench.reports.qbr_pptx import render_qbr_pptx

        data = render_qbr_pptx(qbr, progress=scaled(progress, 0.6, 0.98), cover=cover)
    report(progress, 0.99, "writing the file")
    p = Path(out)
    atomic_write_bytes(p, data)  # an ordinary file's mode, not a private temporary's
    report(progress, 1.0, "written")
    return p
