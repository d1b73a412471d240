"""Who prepares the documents, set once in Preferences: the name printed as "Prepared by",
the firm named on the cover's band and its logo (a PNG or JPEG file).  The redline and
the quarter's review exports read them (:func:`cover_from_settings`); the logo's file is
read when a document is made, and its path never reaches the document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from workbench.reports.pdf.template import Cover, read_logo

PREPARED_BY, BRAND, LOGO = "prepared_by", "cover_brand", "cover_logo"


def cover_from_settings(s: QSettings) -> tuple[Cover, str]:
    """The cover of the documents from Preferences, and a problem to tell (a logo that can
    no longer be read is left off, and said so), else ""."""
    logo_path = str(s.value(LOGO, "") or "")
    logo, problem = None, ""
    if logo_path:
        try:
            logo = read_logo(logo_path)
        except ValueError as exc:
            problem = f"The logo chosen in Preferences is left off: {exc}"
    return Cover(
        brand=str(s.value(BRAND, "") or "").strip(),
        logo=logo,
        prepared_by=str(s.value(PREPARED_BY, "") or "").strip(),
    ), problem


class CoverPreferences:
    """The Preferences rows: Prepared by, the firm on the cover, its logo (Choose…/Clear)."""

    def __init__(self, form: QFormLayout, s: QSettings, parent: QWidget) -> None:
        self.parent = parent
        self.prepared_by = QLineEdit(str(s.value(PREPARED_BY, "") or ""))
        self.prepared_by.setPlaceholderText("your name, as printed on the documents (optional)")
        form.addRow("Prepared by", self.prepared_by)
        self.brand = QLineEdit(str(s.value(BRAND, "") or ""))
        self.brand.setPlaceholderText("your firm (empty: the provider named in the contract)")
        form.addRow("Name on the cover", self.brand)
        self.logo_path = str(s.value(LOGO, "") or "")
        self.logo_label = QLabel()
        self.logo_label.setWordWrap(True)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_logo)
        clear = QPushButton("Clear")
        clear.clicked.connect(lambda: self.set_logo(""))
        row = QHBoxLayout()
        row.addWidget(self.logo_label, 1)
        row.addWidget(choose)
        row.addWidget(clear)
        form.addRow("Logo on the cover", row)
        self.set_logo(self.logo_path)

    def set_logo(self, path: str) -> bool:
        """Take ``path`` as the logo (checked now: a PNG or JPEG of at most 2 MB); "" clears it."""
        if path:
            try:
                read_logo(path)
            except ValueError as exc:
                self.logo_label.setText(f"<span style='color:#b42318'>{exc}</span>")
                return False
        self.logo_path = path
        self.logo_label.setText(Path(path).name if path else "none")
        self.logo_label.setToolTip(path)
        return True

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Logo for the cover", self.logo_path, "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.set_logo(path)

    def save(self, s: QSettings) -> None:
        s.setValue(PREPARED_BY, self.prepared_by.text().strip())
        s.setValue(BRAND, self.brand.text().strip())
        s.setValue(LOGO, self.logo_path)
