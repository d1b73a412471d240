"""The Backup & recovery section: RPO / RTO per system, restore tests, backup monitoring."""

from __future__ import annotations

from typing import Any

from models.contract import Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, Section, opt_text

TRI_STATE = ("not stated", "yes", "no")


class BackupSection(Section):
    TITLE = "Backup & recovery"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        self.systems = self.records(
            "backup.systems",
            [
                Column("name", "System"),
                Column("tier", "Tier (1–4)"),
                Column("rpo", "RPO", tip="e.g. 15m, 24h"),
                Column("rto", "RTO", tip="e.g. 4h, 2d"),
                Column("location", "Location", "choice", ("on-prem", "cloud", "hybrid")),
            ],
            {"name": "", "tier": 2, "rpo": "24h", "rto": "8h", "location": "on-prem"},
            "RPO / RTO per system",
        )
        f = self.form()
        self.restore_cadence = self.line(
            f,
            "backup.restore_test_cadence",
            "Restore test cadence",
            "monthly, quarterly, semiannual, annual or a duration like 30d",
        )
        self.cloud = self.combo(f, "backup.cloud_backup_monitoring", "Cloud backup monitoring", TRI_STATE)
        self.onprem = self.combo(f, "backup.onprem_backup_monitoring", "On-prem backup monitoring", TRI_STATE)
        self.set_page(self.scroll_page(self.systems, f))

    def fill(self, c: Contract) -> None:
        self.restore_cadence.setText(cell_text(c.backup.restore_test_cadence))
        self.restore_cadence.setModified(False)
        self.systems.model.set_rows([s.model_dump() for s in c.backup.systems])
        for combo, value in (
            (self.cloud, c.backup.cloud_backup_monitoring),
            (self.onprem, c.backup.onprem_backup_monitoring),
        ):
            combo.setCurrentIndex(0 if value is None else (1 if value else 2))

    def collect(self, data: dict[str, Any]) -> None:
        backup = dict(data.get("backup", {}))
        backup["systems"] = self.rows(self.systems)
        backup["restore_test_cadence"] = opt_text(self.restore_cadence.text())
        backup["cloud_backup_monitoring"] = (None, True, False)[self.cloud.currentIndex()]
        backup["onprem_backup_monitoring"] = (None, True, False)[self.onprem.currentIndex()]
        data["backup"] = backup
