"""Coverage presets, written once: the weekly service hours of the common contracts
(8x5, 12x5, 24x7), used by the editor's calendar and What-if's coverage choice."""

from __future__ import annotations

from dataclasses import dataclass

from models.contract import WEEKDAYS


@dataclass(frozen=True)
class CoveragePreset:
    """A named weekly window: the same hours on each of ``days``."""

    key: str
    label: str
    window: str
    days: tuple[str, ...]

    def weekly(self) -> dict[str, tuple[str, ...]]:
        """The calendar's ``weekly`` mapping (weekday -> windows)."""
        return {d: (self.window,) for d in self.days}


PRESETS: tuple[CoveragePreset, ...] = (
    CoveragePreset("8x5", "8x5 (Mon–Fri 08:00–17:00)", "08:00-17:00", tuple(WEEKDAYS[:5])),
    CoveragePreset("12x5", "12x5 (Mon–Fri 07:00–19:00)", "07:00-19:00", tuple(WEEKDAYS[:5])),
    CoveragePreset("24x7", "24x7 (all hours, every day)", "00:00-24:00", tuple(WEEKDAYS)),
)
BY_KEY = {p.key: p for p in PRESETS}
