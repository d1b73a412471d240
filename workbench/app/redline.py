"""What both front ends need around a redline: which changes a rationale is asked for
(the material ones; the agreement's own version, status and dates change with every
new version and are listed once, not argued), and the file name a person expects."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

ADMINISTRATIVE = frozenset({"name", "version", "status", "effective_date", "last_reviewed"})
"""Term keys of the agreement's own bookkeeping: no rationale is asked for them."""


def material_terms(terms: Iterable[Any]) -> list[Any]:
    """The term changes a rationale is asked for (not :data:`ADMINISTRATIVE`)."""
    return [t for t in terms if t.key not in ADMINISTRATIVE]


def administrative_terms(terms: Iterable[Any]) -> list[Any]:
    return [t for t in terms if t.key in ADMINISTRATIVE]


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def redline_file_name(old_label: str, new_label: str) -> str:
    """``Redline 2025 to 2026-Q4 proposal.pdf``: both versions' labels, readable, with
    only the characters no file system refuses."""
    def clean(text: str) -> str:
        return " ".join(_UNSAFE.sub("-", text).split()).strip(" .-") or "version"

    return f"Redline {clean(old_label)} to {clean(new_label)}.pdf"


class _Versioned(Protocol):
    @property
    def contract(self) -> Any: ...


V = TypeVar("V", bound=_Versioned)


def default_proposed(versions: Sequence[V], base: V | None) -> V | None:
    """The version a redline of ``base`` proposes by default: the newest proposal or
    draft from the same provider (the renewal the client is asked to sign), else the
    newest other proposal or draft, else the newest other version; None without one."""
    others = [v for v in versions if v is not base]
    if not others:
        return None
    offers = [v for v in others if v.contract.status in ("proposal", "draft")]
    provider = base.contract.provider if base is not None else None
    same = [v for v in offers if provider and v.contract.provider == provider]
    return (same or offers or others)[-1]
