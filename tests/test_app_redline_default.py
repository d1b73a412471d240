"""Which version a redline proposes by default: the provider's own renewal, not the
last competitor added to the workspace."""

from __future__ import annotations

from pathlib import Path

from models.contract import load_contract
from workbench.app.redline import default_proposed
from workbench.app.workspace import Version

DEMO = Path(__file__).parents[1] / "resources" / "demo"


def _v(i: int, name: str) -> Version:
    return Version(i, load_contract(DEMO / f"{name}.yaml"))


def test_the_providers_own_proposal_before_a_competitor_added_later() -> None:
    versions = [_v(1, "northwind-2024"), _v(2, "northwind-2025"), _v(3, "northwind-2026-q4-proposal"),
                _v(4, "competitor-bluepeak"), _v(5, "competitor-harbourline")]
    base = versions[1]
    assert base.contract.provider == versions[2].contract.provider != versions[4].contract.provider
    assert default_proposed(versions, base) is versions[2]


def test_without_an_own_proposal_the_newest_offer_then_the_newest_version() -> None:
    base, old, comp = _v(2, "northwind-2025"), _v(1, "northwind-2024"), _v(4, "competitor-bluepeak")
    assert comp.contract.status in ("proposal", "draft")
    assert default_proposed([old, base, comp], base) is comp
    assert old.contract.status == "signed"
    assert default_proposed([old, base], base) is old
    assert default_proposed([base], base) is None
