"""Contract versions from the files people have, and the workspace operations on them.

A contract file (YAML/JSON) is read as it is; a document (.txt, .md, .html, .adoc, .docx, .pdf) is
read, its terms extracted with the clause and the words each came from, and the
version keeps the document's clauses for the redline.  :func:`read_contract_file`
does all the reading and validating before anything touches a workspace, so a file
that fails leaves the workspace as it was; :func:`add_contract_version` stores what
was read (refusing a duplicate), :func:`remove_contract_version` takes a draft or
proposal out again, and :func:`resolve_version` finds a version by id or label.

Both front ends call these: the command line (``sla-workbench contract …``) and the
GUI's "Add contract version…".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from models.contract import Contract, ContractError, contract_from_data, load_contract, yaml_load
from workbench.app.term_labels import TERM_LABELS, term_label
from workbench.documents.extract import (
    Extracted,
    Extraction,
    contract_path,
    extract,
    proposed_values,
    states_sla_terms,
    to_contract,
)
from workbench.documents.reader import DOCUMENT_SUFFIXES, DocumentError, load_document
from workbench.progress import Cancelled, ProgressCallback, report

if TYPE_CHECKING:
    from models.store import Workspace

__all__ = [
    "CONTRACT_SUFFIXES",
    "ESSENTIAL_TERMS",
    "NO_TERMS",
    "ContractFile",
    "ContractFileError",
    "Route",
    "Status",
    "Term",
    "add_contract_version",
    "confirm_terms",
    "dropped_file_route",
    "parse_term_value",
    "read_contract_file",
    "remove_contract_version",
    "resolve_version",
    "term_text",
]

CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods", ".csv", ".tsv", ".numbers")
EXPORT_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".xlsx", ".xlsm")
"""What the import wizard reads: ticket exports and backup, restore-test, outage and KPI files."""
NO_TERMS = "no SLA terms found (no priority targets, no service hours)"

Status = Literal["signed", "proposal", "draft"]

ESSENTIAL_TERMS: tuple[str, ...] = (
    *(f"targets.{p}.{m}" for p in ("P1", "P2", "P3", "P4") for m in ("response", "resolution")),
    "calendars.business.weekly",
    "calendars.business.timezone",
    "calendars.business.holidays",
    "scope.helpdesk_hours",
    "backup.systems",
    "backup.restore_test_cadence",
    "service_credits",
    "uptime",
    "reporting.cadence",
)
"""The terms an SLA is expected to state: what a version lacks of these is "missing"."""


class ContractFileError(ContractError):
    """A file that gives no contract version; the message names the file."""


@dataclass(frozen=True)
class Term:
    """One term a document states: the contract file's own key, its value as written in
    contract files, and the clause and words it was read from."""

    path: str
    value: Any
    clause: str
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "value": _plain(self.value), "clause": self.clause, "quote": self.quote}


@dataclass(frozen=True)
class ContractFile:
    """What a file gives: the contract version, where it came from and, for a document,
    the extracted terms (unconfirmed until a person confirms them) and what is missing."""

    contract: Contract
    source: str
    extracted: bool
    terms: tuple[Term, ...] = ()
    missing: tuple[str, ...] = ()
    text: str | None = None
    extraction: Extraction | None = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------------- reading


def read_contract_file(
    path: str | Path,
    *,
    status: Status | None = None,
    label: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> ContractFile:
    """Read ``path`` as a contract version.  ``status`` and ``label`` (the version's
    label, ``Contract.version``) replace what the file says; ``overrides`` are a
    person's corrections of extracted terms (see :func:`to_contract`).  Raises
    :class:`ContractError` (or its :class:`ContractFileError`) naming the file.
    ``progress`` is told each step; when it asks to stop, a document's parse (in its
    child process) is stopped at once and :class:`Cancelled` raised (nothing was stored
    anyway: reading touches no workspace)."""
    p = Path(path)
    report(progress, 0.0, f"Reading {p.name}…")
    if p.is_dir():
        raise ContractFileError(f"{p}: is a folder, not a file")
    if not p.is_file():
        raise ContractFileError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix in CONTRACT_SUFFIXES:
        contract = load_contract(p)
        contract = _relabel(contract, status, label)
        return ContractFile(contract, p.name, extracted=False, missing=missing_terms(contract))
    if suffix in SPREADSHEET_SUFFIXES:
        raise ContractFileError(
            f"{p}: {NO_TERMS}: a spreadsheet is not a contract document "
            "(ticket, backup and outage exports go to `sla-workbench import`)"
        )
    if suffix not in DOCUMENT_SUFFIXES:
        known = ", ".join((*CONTRACT_SUFFIXES, *DOCUMENT_SUFFIXES))
        what = suffix or "no suffix"
        raise ContractFileError(f"{p}: not a contract file or document ({what}); use {known}")
    stopped: list[bool] = []

    def cancel() -> bool:  # polled while the document's parser runs in its child process
        if progress is not None and progress(0.1, f"Reading {p.name}…") is False:
            stopped.append(True)
        return bool(stopped)

    try:
        doc = load_document(p, cancel if progress is not None else None)
    except DocumentError as exc:
        if stopped:
            raise Cancelled(f"{p.name}: reading was cancelled") from None
        if "holds no text" in str(exc):
            raise ContractFileError(f"{p}: {NO_TERMS}: the document holds no text "
                                    "(a scanned PDF needs OCR first)") from None
        raise ContractFileError(str(exc)) from None
    report(progress, 0.7, f"Finding the terms in {p.name}…")
    ex = extract(doc)
    report(progress, 0.9, f"Checking the terms of {p.name}…")
    if not states_sla_terms(ex):
        raise ContractFileError(f"{p}: {NO_TERMS}")
    contract = to_contract(ex, overrides, version=label or p.stem)
    contract = _relabel(contract, status or "draft", label)
    terms = document_terms(ex, contract)
    return ContractFile(
        contract,
        p.name,
        extracted=True,
        terms=terms,
        missing=missing_terms(contract),
        text=doc.text,
        extraction=ex,
    )


def _relabel(contract: Contract, status: Status | None, label: str | None) -> Contract:
    update: dict[str, Any] = {}
    if status is not None and status != contract.status:
        update["status"] = status
    if label is not None and label != contract.version:
        update["version"] = label
    return contract.model_copy(update=update) if update else contract


Route = Literal["import", "contract"]


def dropped_file_route(path: str | Path) -> Route | None:
    """Where a file put on the window goes: an export (CSV/XLSX, also gzipped CSV) to
    the import wizard, a contract file or document to "Add contract version"; None for
    anything else (a folder, a file of another kind)."""
    p = Path(path)
    name = p.name.lower()
    if p.is_dir():
        return None
    if name.endswith(EXPORT_SUFFIXES):
        return "import"
    if name.endswith((*CONTRACT_SUFFIXES, *DOCUMENT_SUFFIXES)):
        return "contract"
    return None


# ---------------------------------------------------------------------- terms

def _has(data: Mapping[str, Any], path: str) -> bool:
    """Whether ``data`` holds a value at ``path``; for ``calendars.business.*`` any
    calendar counts (a contract file may name its business calendar otherwise)."""
    parts = path.split(".")
    if parts[:2] == ["calendars", "business"] and isinstance(data.get("calendars"), Mapping):
        return any(_has({"c": cal}, ".".join(["c", *parts[2:]])) for cal in data["calendars"].values())
    node: Any = data
    for part in parts:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return node not in (None, [], {}, ())


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path`` in contract data, None when it holds none."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def document_terms(ex: Extraction, contract: Contract) -> tuple[Term, ...]:
    """The terms of ``contract`` that the document states, each with the clause and
    words it came from; a target stated for all priorities is listed for each
    priority it fills.  Values are those of the contract file (``30m``, ``4h``)."""
    data = contract.to_data()
    chosen = proposed_values(ex)
    by_field: dict[str, list[Extracted]] = {}
    for e in ex.items:
        by_field.setdefault(e.field, []).append(e)

    def source(name: str) -> Extracted | None:
        items = by_field.get(name, [])
        want = chosen.get(name)
        for e in items:
            if e.value == want:
                return e
        return items[0] if items else None

    terms: list[Term] = []
    seen: set[str] = set()

    def add(path: str, e: Extracted | None) -> None:
        if e is None or path in seen or not _has(data, path):
            return
        seen.add(path)
        terms.append(Term(path, value_at(data, path), e.clause, e.quote))

    for p in ("P1", "P2", "P3", "P4"):
        for metric in ("response", "resolution", "compliance_target"):
            own = source(f"targets.{p}.{metric}")
            add(f"targets.{p}.{metric}", own or source(f"targets.*.{metric}"))
    for name in by_field:
        if name.startswith("targets.") or name in ("backup.mentioned", "resolution_refused"):
            continue
        add(contract_path(name), source(name))
    return tuple(terms)


def missing_terms(contract: Contract) -> tuple[str, ...]:
    """The :data:`ESSENTIAL_TERMS` that ``contract`` does not state."""
    data = contract.to_data()
    return tuple(path for path in ESSENTIAL_TERMS if not _has(data, path))


def _plain(value: Any) -> Any:
    """A value as JSON holds it (dates as ISO text, tuples as lists)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------------- confirming

_TARGET = re.compile(r"^targets\.(P[1-4])\.(response|resolution|compliance_target)$")


def term_text(value: Any) -> str:
    """A term's value as a person edits it: YAML on one line (``1h``,
    ``{mon: ['09:00-17:00']}``), read back by :func:`parse_term_value`."""
    plain = _plain(value)
    if isinstance(plain, str) and isinstance(yaml_load(plain) if plain else None, dt.date):
        return plain  # a date as written (it reads back as the same date)
    text = yaml.safe_dump(plain, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=1_000_000)
    return text.removesuffix("\n...\n").strip()


def parse_term_value(path: str, text: str) -> Any:
    """What a person typed for the term at ``path``, as contract files hold it; empty
    text is None (the term is dropped).  A ValueError says which term and why."""
    if not text.strip():
        return None
    try:
        return _plain(yaml_load(text))  # dates as ISO text, as contract data holds them
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem", None) or "not readable"
        raise ValueError(f"{term_label(path)}: {text!r} is not a value ({mark})") from None


def confirm_terms(
    read: ContractFile,
    edits: Mapping[str, Any] | None = None,
    use_defaults: Iterable[str] = (),
    *,
    status: Status | None = None,
    label: str | None = None,
) -> ContractFile:
    """The version ``read`` gave, rebuilt with a person's corrections: ``edits`` maps a
    term's path (``Term.path``) to the value confirmed for it (None drops the term),
    ``use_defaults`` names missing terms to fill with the 2026 template's value
    (:func:`workbench.app.templates.template_default`), ``status`` and ``label`` replace
    the version's own.  Targets go through the extraction again (``to_contract``'s
    overrides: a business-day target gets a business calendar); every other term is set
    in the contract's data.  The result is validated as a contract file is; a
    :class:`ContractFileError` names the file and the term that is wrong.  The terms
    keep their clause and quote with the confirmed value; what is still not stated is
    listed as missing."""
    from workbench.app.templates import template_default

    changes: dict[str, Any] = dict(edits or {})
    for path in use_defaults:
        if path in changes:
            continue
        value = template_default(path)
        if value is None:
            raise ContractFileError(f"{read.source}: the template states no {term_label(path)} ({path})")
        changes[path] = value
    target_changes = {k: v for k, v in changes.items() if _TARGET.match(k)}
    try:
        confirmed = _rebuilt(read, changes, target_changes, status, label)
    except ContractError as exc:
        message = str(exc)
        doc_source = str(read.extraction.document.source) if read.extraction is not None else ""
        if doc_source:
            message = message.replace(doc_source, read.source)  # the file's name, as elsewhere
        raise ContractFileError(_in_words(message), exc.errors) from None
    data = confirmed.to_data()  # once, not twice per term
    terms = tuple(
        Term(t.path, value_at(data, t.path), t.clause, t.quote) for t in read.terms if _has(data, t.path)
    )
    return ContractFile(
        confirmed,
        read.source,
        extracted=read.extracted,
        terms=terms,
        missing=missing_terms(confirmed),
        text=read.text,
        extraction=read.extraction,
    )


def _rebuilt(
    read: ContractFile,
    changes: Mapping[str, Any],
    target_changes: Mapping[str, Any],
    status: Status | None,
    label: str | None,
) -> Contract:
    """The contract of ``read`` with ``changes`` applied (see :func:`confirm_terms`)."""
    from workbench.app.templates import template_default

    contract = read.contract
    if read.extraction is not None and target_changes:
        overrides: dict[str, Any] = {}
        for path, value in target_changes.items():
            overrides[path] = value
            if path not in read.missing:
                continue  # a stated target keeps the calendar the document gave it
            priority = path.split(".")[1]
            calendar = template_default(f"targets.{priority}.calendar")
            overrides[f"{path}@calendar"] = "business" if calendar == "business" else "24x7"
        contract = to_contract(read.extraction, overrides, version=contract.version)
    data = contract.to_data()
    data["status"], data["version"] = read.contract.status, read.contract.version
    if read.extraction is None:
        _apply(data, target_changes)
    _apply(data, {k: v for k, v in changes.items() if k not in target_changes})
    if status is not None:
        data["status"] = status
    if label is not None and label.strip():
        data["version"] = label.strip()
    return contract_from_data(data, read.source)


def _apply(data: dict[str, Any], changes: Mapping[str, Any]) -> None:
    """Set (or, for None, drop) each path of ``changes`` in contract data; a term of the
    business calendar that has none yet starts from the template's business calendar."""
    from workbench.app.templates import template_default

    for path, value in changes.items():
        parts = path.split(".")
        if parts[:2] == ["calendars", "business"] and value is not None:
            calendars = data.setdefault("calendars", {})
            if "business" not in calendars:
                calendars["business"] = dict(template_default("calendars.business") or {})
        node = data
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                if value is None:
                    break
                child = node[part] = {}
            node = child
        else:
            if value is None:
                node.pop(parts[-1], None)
            else:
                node[parts[-1]] = value


def _in_words(message: str) -> str:
    """A contract error with the term's words next to its path."""
    lines = []
    for line in message.splitlines():
        source, _, rest = line.partition(": ")
        path, _, what = rest.partition(": ")
        if what:
            words = term_label(_term_of(path))
            line = f"{source}: {words} ({path}): {what}"
        lines.append(line)
    return "\n".join(lines)


def _term_of(path: str) -> str:
    """The longest labelled term a field path lies in (``backup.systems.0.rpo`` -> ``backup.systems``)."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        head = ".".join(parts[:n])
        if head in TERM_LABELS:
            return head
    return path


# ---------------------------------------------------------------------- workspace operations


@dataclass(frozen=True)
class VersionRef:
    """A stored contract version as lists show it."""

    id: int
    name: str
    version: str
    status: str
    source: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "version": self.version, "status": self.status,
                "source": self.source}


def list_versions(ws: Workspace) -> list[VersionRef]:
    """The workspace's stored contract versions, oldest first."""
    sources = {info.id: getattr(info, "source", None) for info in ws.contract_history()}
    return [
        VersionRef(vid, c.name, c.version, c.status, sources.get(vid)) for vid, c in ws.contract_versions()
    ]


def equal_version(ws: Workspace, contract: Contract) -> int | None:
    """The id of a stored version equal to ``contract``, if any."""
    for vid, stored in ws.contract_versions():
        if stored == contract:
            return vid
    return None


def add_contract_version(ws: Workspace, read: ContractFile, *, parent_id: int | None = None) -> int:
    """Store what :func:`read_contract_file` gave as a new version (one transaction) and
    return its id; a version equal to a stored one is refused, naming that version."""
    same = equal_version(ws, read.contract)
    if same is not None:
        label = ws.contract(same).version
        raise ContractFileError(f"{read.source}: equals version {same} ({label}); nothing added")
    return int(
        ws.add_contract_version(read.contract, parent_id=parent_id, source=read.source, source_text=read.text)
    )


def resolve_version(ws: Workspace, ref: str) -> int:
    """A version id from ``ref``: its id, or its label (``Contract.version``, compared
    exactly, then ignoring case).  Errors say which versions there are."""
    versions = ws.contract_versions()
    text = ref.strip()
    if text.isdigit():
        vid = int(text)
        if any(v == vid for v, _ in versions):
            return vid
    for match in (lambda c: c.version == text, lambda c: c.version.casefold() == text.casefold()):
        hits = [vid for vid, c in versions if match(c)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ContractFileError(
                f"version {ref!r} is ambiguous: versions {', '.join(map(str, hits))} have that label; "
                "give the id"
            )
    known = "; ".join(f"{vid}: {c.version}" for vid, c in versions) or "none"
    raise ContractFileError(f"no contract version {ref!r} in the workspace (versions: {known})")


def remove_contract_version(ws: Workspace, version_id: int) -> None:
    """Take a draft or proposal out of the workspace; a signed version is immutable."""
    ws.remove_contract_version(version_id)


def term_table(terms: Iterable[Term]) -> list[tuple[str, str, str, str]]:
    """Rows (path, value, clause, quote) for a printed table."""
    return [(t.path, _text(t.value), t.clause, t.quote) for t in terms]


def _text(value: Any) -> str:
    v = _plain(value)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_text(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(_text(x) for x in v)
    return str(v)
