"""Differences between two versions of a contract.

Three layers, all pure functions of two inputs:

* :func:`tokenize` / :func:`word_diff`: a word-level diff inside one clause, where a
  number keeps its unit ("4 hours", "99.9%", "24x7", "$2,400", "2026-10-01",
  "8:00 a.m") so a change reads ``"4 hours" -> "2 hours"``, never half a word.
* :func:`align_clauses`: clauses of the two versions paired by number, heading and
  text similarity, each pair classified as unchanged, changed, added, removed or
  moved.
* :func:`term_changes`: the structured changes between two :class:`Contract` models,
  every field except the clause text, each a :class:`TermChange` with a human label
  and human values ("8 hours" -> "4 hours", "Mon–Fri 08:00–17:00 …" -> "24x7").

:func:`load_version` reads either a contract file (YAML/JSON) or a contract document
(through :mod:`workbench.documents.reader`, with terms from :mod:`workbench.documents.extract`).
"""

from __future__ import annotations

import collections
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from models.contract import (
    LITERAL_24X7,
    WEEKDAYS,
    CalendarSpec,
    Clause,
    Contract,
    ContractError,
    ServiceCredit,
    load_contract,
    parse_duration,
    parse_window,
)
from workbench.documents.extract import extract, to_contract
from workbench.documents.reader import Document, DocumentError, load_document

# ------------------------------------------------------------------------ tokens

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_UNITS = (
    r"(?:(?:business|calendar|working|clock)\s+)?"
    r"(?:hours?|hrs?|h|minutes?|mins?|m|min|seconds?|secs?|s|days?|d|weeks?|wks?|months?|"
    r"years?|yrs?|quarters?|business\s+days?|percent|per\s+cent|GB|TB|MB|ms)"
)
_NUM = r"\d[\d,]*(?:\.\d+)?"
_TOKEN_RE = re.compile(
    "|".join(
        [
            # dates
            r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?",
            r"\d{1,2}/\d{1,2}/\d{2,4}",
            rf"{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}",
            rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+\d{{4}}",
            # money (symbol before or code after)
            rf"[$€£]\s?{_NUM}(?:\s?(?:k|K|M|million|thousand)\b)?",
            rf"{_NUM}\s?(?:CAD|USD|EUR|GBP|dollars)\b",
            # coverage patterns
            r"\d{1,2}\s?[x×]\s?\d{1,2}\b",
            r"\d{1,2}/7\b",
            # clock times
            r"\d{1,2}(?::\d{2})?\s?(?:a\.?m\.?|p\.?m\.?|AM|PM)(?![\w])",
            r"\d{1,2}:\d{2}(?:\s?[-–]\s?\d{1,2}:\d{2})?",
            # percentages and numbers with units
            rf"{_NUM}\s?%",
            rf"{_NUM}(?:\s?-\s?|\s)?{_UNITS}\b",
            # plain words and numbers, then single punctuation marks
            r"\w+(?:[’'\-.]\w+)*",
            r"[^\w\s]",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Token:
    text: str
    space: str = ""  # whitespace before the token in the source


def tokenize(text: str) -> list[Token]:
    """Split text into tokens, numbers with their units kept whole; whitespace is kept
    as each token's ``space`` so the text can be rebuilt exactly."""
    return list(_tokenize(text))


@functools.lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        out.append(Token(m.group(0), text[pos : m.start()]))
        pos = m.end()
    if pos < len(text) and out:
        # trailing whitespace: keep it on a final empty token so nothing is lost
        out.append(Token("", text[pos:]))
    return tuple(out)


def _key(tok: Token) -> str:
    return " ".join(tok.text.split())


Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    """A run of tokens with one operation; ``tokens`` keep their leading whitespace."""

    op: Op
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return "".join(t.space + t.text for t in self.tokens)

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.tokens if t.text]


# Token pairs past which a diff stops looking for every match: difflib's matcher does work
# in the product of the two lengths when tokens repeat (a text repeating one phrase 3,500
# times took 30 s against a copy of itself), so above this the common start and end are
# matched first and the middle is diffed with difflib's popular-token heuristic (a token
# making up over 1% of the text no longer seeds a match), or, past 25 times the bound, shown
# replaced whole.  Clauses of real contracts stay far below it and are diffed exactly as before.
DIFF_PAIRS = 4_000_000


def _opcodes(ka: Sequence[str], kb: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes of two token-key sequences, within the DIFF_PAIRS bound."""
    if len(ka) * len(kb) <= DIFF_PAIRS:
        return list(difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes())
    head = 0
    while head < min(len(ka), len(kb)) and ka[head] == kb[head]:
        head += 1
    tail = 0
    while tail < min(len(ka), len(kb)) - head and ka[len(ka) - 1 - tail] == kb[len(kb) - 1 - tail]:
        tail += 1
    mid_a, mid_b = ka[head : len(ka) - tail], kb[head : len(kb) - tail]
    pairs = len(mid_a) * len(mid_b)
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    if pairs > 25 * DIFF_PAIRS:  # even the heuristic would take minutes: the middle is replaced
        ops.append(("replace", head, len(ka) - tail, head, len(kb) - tail))
    else:
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=pairs > DIFF_PAIRS)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            ops.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        ops.append(("equal", len(ka) - tail, len(ka), len(kb) - tail, len(kb)))
    return ops


def word_diff(old: str, new: str) -> list[Segment]:
    """Token-level diff of two texts; a replaced run comes out as delete then insert."""
    a, b = tokenize(old), tokenize(new)
    segs: list[Segment] = []
    for tag, i1, i2, j1, j2 in _opcodes([_key(t) for t in a], [_key(t) for t in b]):
        if tag == "equal":
            segs.append(Segment("equal", tuple(b[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            segs.append(Segment("delete", tuple(a[i1:i2])))
        if tag in ("insert", "replace"):
            segs.append(Segment("insert", tuple(b[j1:j2])))
    return [s for s in segs if s.tokens]


def _keys(text: str) -> list[str]:
    return [_key(t) for t in tokenize(text)]


def similarity(a: str, b: str) -> float:
    ka, kb = _keys(a), _keys(b)
    return _similarity_of(ka, kb, collections.Counter(ka), collections.Counter(kb))


def _similarity_of(ka: Sequence[str], kb: Sequence[str], ca: collections.Counter[str],
                   cb: collections.Counter[str]) -> float:
    """:func:`similarity` of two texts' token keys, given their counts (``ca``, ``cb``): the
    cheap bounds of difflib's ``real_quick_ratio`` and ``quick_ratio``, the same numbers
    worked out from the counts, which a caller comparing one text with many keeps."""
    if not ka and not kb:
        return 1.0
    length = len(ka) + len(kb)
    quick = 2.0 * sum((ca & cb).values()) / length
    if 2.0 * min(len(ka), len(kb)) / length < 0.3 or quick < 0.3:
        return quick * 0.5
    if len(ka) * len(kb) > DIFF_PAIRS:  # the ratio of the bounded diff (see _opcodes)
        same = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in _opcodes(ka, kb) if tag == "equal")
        return 2.0 * same / (len(ka) + len(kb))
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


# ----------------------------------------------------------------------- clauses

ClauseKind = Literal["unchanged", "changed", "added", "removed", "moved"]


@dataclass(frozen=True)
class ClauseChange:
    kind: ClauseKind
    old: Clause | None
    new: Clause | None
    old_index: int | None = None
    new_index: int | None = None
    similarity: float = 0.0
    text_changed: bool = False  # for "moved": was the text edited too?
    segments: tuple[Segment, ...] = ()

    @property
    def key(self) -> str:
        """Stable key for rationale files: ``clause:<number> <heading>`` (the new side's,
        the old one's for a removed clause), e.g. ``clause:4 Service credits``."""
        c = self.new or self.old
        assert c is not None
        title = " ".join(p for p in (c.number, c.heading) if p)
        idx = self.new_index if self.new is not None else self.old_index
        return "clause:" + (title or f"#{(idx or 0) + 1}")

    @property
    def title(self) -> str:
        c = self.new or self.old
        assert c is not None
        return clause_title(c)


def clause_title(c: Clause) -> str:
    parts = [p for p in (c.number, c.heading) if p]
    return " ".join(parts) if parts else "(untitled clause)"


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


_STOP = frozenset(["a", "an", "and", "the", "of", "for", "to", "in", "on", "by", "with", "or"])


# ------------------------------------------------------- the same item, reworded

ITEM_THRESHOLD = 0.6
"""Two list items or headings whose word overlap (Dice, on stemmed content words) reaches
this are the same item reworded; below it they stay two items (a removal and an addition)."""

_ITEM_STOP = _STOP | {"is", "are", "be", "at", "per", "from", "its", "their", "all", "any", "as"}
_ITEM_WORD = re.compile(r"\w[\w\-/]*")
_PAREN = re.compile(r"\([^()]*\)")


def _stem(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _item_words(text: str) -> list[str]:
    """Stemmed content words in their order: "Restore tests" -> ["restore", "test"]."""
    return [_stem(w.rstrip(".-/")) for w in _ITEM_WORD.findall(text.lower()) if w not in _ITEM_STOP]


def _acronym_runs(words: list[str]) -> dict[str, list[str]]:
    """The acronyms a text spells out: every run of its capitalised or content words
    whose initials make one ("Personal Health Information Protection Act" -> "phipa")."""
    out: dict[str, list[str]] = {}
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + 8) + 1):
            out.setdefault("".join(w[0] for w in words[i:j]), words[i:j])
    return out


def _expanded(a: str, b: str) -> tuple[set[str], set[str], set[str]]:
    """a's words, with each acronym that b spells out replaced by b's words for it; a's
    core words (outside parentheses, expanded the same way); b's words."""
    wa, core_a, _runs_a = _item_profile(a)
    wb, _core_b, runs = _item_profile(b)

    def expand(words: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for w in words:
            run = runs.get(w) if w.isalpha() and 2 <= len(w) <= 8 else None
            out.update(run if run else [w])
        return out

    return expand(wa), expand(core_a), set(wb)


@functools.lru_cache(maxsize=16_384)
def _item_profile(text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, list[str]]]:
    """A heading's or item's words, its core words (outside parentheses) and the acronyms
    it spells out, worked out once per text: the clause matcher compares each heading with
    many (read only; the cache holds more texts than a contract has clauses)."""
    words = _item_words(text)
    return tuple(words), tuple(_item_words(_PAREN.sub(" ", text))), _acronym_runs(words)


def item_similarity(a: str, b: str) -> float:
    """How alike two list items, terms or headings are, 0..1, on their words (case,
    plurals, order and the little words aside):

    * containment: one's words, or the core outside its parentheses, all among the
      other's ("PHIPA" / "PHIPA (Personal Health Information Protection Act, Ontario)",
      "incident detection (through the MSSP partner)" / "24/7 incident detection and
      triage", "Backups" / "Backup and recovery") scores 0.9 and up;
    * an acronym counts as the words it stands for when the other text spells them out
      ("CPPA" / "Consumer Privacy Protection Act");
    * otherwise the Dice overlap of the two word sets ("ticket volume" / "ticket trends"
      is 0.5: two items).

    Two items are the same one reworded when this reaches :data:`ITEM_THRESHOLD`."""
    if _norm(a) == _norm(b):
        return 1.0
    best = 0.0
    for x, y in ((a, b), (b, a)):
        full, core, other = _expanded(x, y)
        if not full or not other:
            continue
        # a bare number shared ("Clause heading 5" / "Added clause 5") makes no overlap of its
        # own; one not shared ("Windows 10" / "Windows 11") still tells two items apart
        dice = 2 * len({w for w in full & other if not w.isdigit()}) / (len(full) + len(other))
        contained = (full <= other) or (bool(core) and core <= other)
        best = max(best, 0.9 + 0.1 * dice if contained else dice)
    return best


def same_item(a: str, b: str) -> bool:
    return item_similarity(a, b) >= ITEM_THRESHOLD


def pair_reworded(removed: Sequence[str], added: Sequence[str]) -> list[tuple[str, str]]:
    """The removed and added items that are one item reworded, paired one to one, the
    most alike first (each item in one pair at most); in the removed items' order."""
    cands = sorted(
        (-item_similarity(r, a), i, j)
        for i, r in enumerate(removed)
        for j, a in enumerate(added)
    )
    used_r: set[int] = set()
    used_a: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for neg, i, j in cands:
        if -neg < ITEM_THRESHOLD:
            break
        if i not in used_r and j not in used_a:
            used_r.add(i)
            used_a.add(j)
            pairs.append((i, j))
    return [(removed[i], added[j]) for i, j in sorted(pairs)]


def text_overlap(a: str, b: str) -> float:
    """Share of the shorter text's content words found in the other (0..1)."""
    return _overlap(set(_item_words(a)), set(_item_words(b)))


def _overlap(wa: set[str], wb: set[str]) -> float:
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _ws_norm(s: str) -> str:
    return " ".join(s.split())


def _clause_text(c: Clause) -> str:
    return f"{c.heading}\n{c.text}" if c.heading else c.text


CLAUSE_PAIRS = 40_000  # clause pairs whose texts are compared; 200 clauses a side are all compared


def _candidates(k: int, n_old: int, left_new: list[int]) -> list[int]:
    """The new clauses the ``k``-th of ``n_old`` unpaired old clauses is compared with: all of
    them within CLAUSE_PAIRS, else those nearest its place in the document (each comparison is
    a diff, so two documents of 2,000 clauses would take hours)."""
    if n_old * len(left_new) <= CLAUSE_PAIRS:
        return left_new
    half = max(CLAUSE_PAIRS // n_old // 2, 1)
    mid = k * len(left_new) // n_old
    return left_new[max(mid - half, 0) : mid + half + 1]


def align_clauses(old: Sequence[Clause], new: Sequence[Clause], threshold: float = 0.5) -> list[ClauseChange]:
    """Pair the clauses of two versions; the result follows the new version's order,
    with removed clauses placed where they stood in the old one."""
    pairs: dict[int, int] = {}  # old index -> new index
    used_new: set[int] = set()
    # each clause's token keys and counts, content words and heading pairs, worked out once:
    # a clause is compared with many (every one of a few hundred, or those nearest its place)
    keyed: dict[str, tuple[list[str], collections.Counter[str]]] = {}
    words: dict[str, set[str]] = {}
    headings: dict[tuple[str, str], bool] = {}

    def sim(i: int, j: int) -> float:
        k = []
        for text in (_clause_text(old[i]), _clause_text(new[j])):
            if text not in keyed:
                ks = _keys(text)
                keyed[text] = (ks, collections.Counter(ks))
            k.append(keyed[text])
        return _similarity_of(k[0][0], k[1][0], k[0][1], k[1][1])

    def overlap_of(a: str, b: str) -> float:
        for text in (a, b):
            if text not in words:
                words[text] = set(_item_words(text))
        return _overlap(words[a], words[b])

    def same_heading(a: str, b: str) -> bool:
        if (a, b) not in headings:
            headings[a, b] = same_item(a, b)
        return headings[a, b]

    def link(i: int, j: int) -> None:
        pairs[i] = j
        used_new.add(j)

    # 1. same heading, unique on both sides
    def index_by(cl: Sequence[Clause], keyf: Callable[[Clause], str]) -> dict[str, list[int]]:
        d: dict[str, list[int]] = {}
        for i, c in enumerate(cl):
            k = keyf(c)
            if k:
                d.setdefault(k, []).append(i)
        return d

    oh, nh = index_by(old, lambda c: _norm(c.heading)), index_by(new, lambda c: _norm(c.heading))
    for k, ois in oh.items():
        njs = nh.get(k, [])
        if len(ois) == 1 and len(njs) == 1:
            link(ois[0], njs[0])
    # 2. same number, when the texts are not unrelated
    on, nn = (
        index_by(old, lambda c: c.number.strip().rstrip(".")),
        index_by(new, lambda c: c.number.strip().rstrip(".")),
    )
    for k, ois in on.items():
        njs = nn.get(k, [])
        if len(ois) == 1 and len(njs) == 1 and ois[0] not in pairs and njs[0] not in used_new:
            i, j = ois[0], njs[0]
            if sim(i, j) >= 0.3:
                link(i, j)
    # 3. best text similarity among what is left
    left_old = [i for i in range(len(old)) if i not in pairs]
    left_new = [j for j in range(len(new)) if j not in used_new]
    cands = []
    for pos, i in enumerate(left_old):
        for j in _candidates(pos, len(left_old), left_new):
            s = sim(i, j)
            # a renamed heading ("Scope" / "Service scope", "Backups" / "Backup and
            # recovery", "Security" / "Security operations (SOC)") counts for a third of a
            # match, or makes one with a quarter of the words in common: a clause retitled
            # and rewritten is still that clause
            if old[i].heading and new[j].heading and same_heading(old[i].heading, new[j].heading):
                if s >= 0.2:
                    s += 0.3
                overlap = overlap_of(old[i].text, new[j].text)
                if overlap >= 0.25:
                    s = max(s, 0.5 + overlap / 2)
            if s >= threshold:
                cands.append((-s, i, j))
    for _s, i, j in sorted(cands):
        if i not in pairs and j not in used_new:
            link(i, j)
    # 4. what is left under the same number, retitled, with over a third of its words kept
    #    ("2 Priorities" / "2 Response and resolution matrix")
    for k, ois in on.items():
        njs = nn.get(k, [])
        if (
            len(ois) == 1 and len(njs) == 1 and ois[0] not in pairs and njs[0] not in used_new
            and overlap_of(old[ois[0]].text, new[njs[0]].text) >= 0.35
        ):
            link(ois[0], njs[0])

    # moved: matched pairs outside the longest increasing run of new positions
    ordered = sorted(pairs.items())
    in_order = _lis_members([j for _i, j in ordered])
    moved_old = {ordered[k][0] for k in range(len(ordered)) if k not in in_order}

    def change_for(i: int, j: int) -> ClauseChange:
        o, n = old[i], new[j]
        same = _ws_norm(o.text) == _ws_norm(n.text) and _ws_norm(o.heading) == _ws_norm(n.heading)
        segs = () if same else tuple(word_diff(o.text, n.text))
        sim = 1.0 if same else similarity(_clause_text(o), _clause_text(n))
        if i in moved_old:
            kind: ClauseKind = "moved"
        else:
            kind = "unchanged" if same and o.number == n.number else "changed"
        return ClauseChange(kind, o, n, i, j, sim, not same, segs)

    new_to_old = {j: i for i, j in pairs.items()}
    out: list[ClauseChange] = []
    removed = [i for i in range(len(old)) if i not in pairs]
    r = 0
    for j in range(len(new)):
        oi = new_to_old.get(j)
        if oi is not None and oi not in moved_old:
            while r < len(removed) and removed[r] < oi:
                out.append(ClauseChange("removed", old[removed[r]], None, removed[r], None))
                r += 1
        if oi is None:
            out.append(ClauseChange("added", None, new[j], None, j))
        else:
            out.append(change_for(oi, j))
    for i in removed[r:]:
        out.append(ClauseChange("removed", old[i], None, i, None))
    return out


def _lis_members(seq: list[int]) -> set[int]:
    """Positions (into seq) of one longest strictly increasing subsequence."""
    import bisect

    tails: list[int] = []
    tails_pos: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        p = bisect.bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tails_pos.append(k)
        else:
            tails[p] = v
            tails_pos[p] = k
        prev[k] = tails_pos[p - 1] if p else -1
    members: set[int] = set()
    k = tails_pos[-1] if tails_pos else -1
    while k >= 0:
        members.add(k)
        k = prev[k]
    return members


# ------------------------------------------------------------- structured terms

TermKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class TermChange:
    """One change of a structured term.  ``path`` is the stable key (rationale files use
    it); ``old``/``new`` are human renderings, None when absent."""

    path: str
    label: str
    old: str | None
    new: str | None
    kind: TermKind
    section: str = ""  # heading for grouping: Targets, Coverage, Security …

    @property
    def key(self) -> str:
        return self.path

    def describe(self) -> str:
        if self.kind == "added":
            return f"{self.label}: added — {self.new}"
        if self.kind == "removed":
            return f"{self.label}: removed (was {self.old})"
        return f"{self.label}: {self.old} → {self.new}"


_DAY_LABEL = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}


def human_duration(value: str | None) -> str | None:
    """ "8h" -> "8 hours", "30m" -> "30 minutes", "2d" -> "2 days", in the unit written."""
    if value is None:
        return None
    if value == "same_business_day":
        return "same business day"
    if value == "next_business_day":
        return "next business day"
    try:
        sec = parse_duration(value)
    except ValueError:
        return value
    unit = value.strip()[-1]
    if value.strip().endswith("min"):
        unit = "m"
    name, size = {"d": ("day", 86400), "h": ("hour", 3600), "m": ("minute", 60)}.get(unit, ("second", 1))
    n = sec / size
    return f"{n:g} {name}" + ("" if n == 1 else "s")


def _hhmm(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}"


def human_calendar(name: str | None, calendars: dict[str, CalendarSpec]) -> str | None:
    """'24x7 (round the clock)' or 'business: Mon–Fri 08:00–17:00, America/Toronto, CA-ON holidays'."""
    if name is None:
        return None
    if name == LITERAL_24X7:
        return "24x7 (round the clock, holidays ignored)"
    cal = calendars.get(name)
    if cal is None:
        return name
    return f"{name}: {describe_calendar_spec(cal)}"


def describe_calendar_spec(cal: CalendarSpec) -> str:
    spans: list[tuple[str, str]] = []  # (day, windows text)
    for d in WEEKDAYS:
        ws = sorted(parse_window(w) for w in cal.weekly.get(d, ()))  # type: ignore[call-overload]
        if ws:
            spans.append((d, ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in ws)))
    if len(spans) == 7 and all(w == "00:00–24:00" for _d, w in spans):
        hours = "round the clock, every day"
    elif not spans:
        hours = "no covered hours"
    else:
        groups: list[tuple[list[str], str]] = []
        for d, w in spans:
            if groups and groups[-1][1] == w and WEEKDAYS.index(d) == WEEKDAYS.index(groups[-1][0][-1]) + 1:
                groups[-1][0].append(d)
            else:
                groups.append(([d], w))
        hours = "; ".join(
            (_DAY_LABEL[g[0]] if len(g) == 1 else f"{_DAY_LABEL[g[0]]}–{_DAY_LABEL[g[-1]]}") + f" {w}"
            for g, w in groups
        )
    parts = [hours, cal.timezone]
    h = cal.holidays
    if h is not None:
        hol = "holidays " + "-".join(x for x in (h.country, h.subdivision) if x) if h.country else "holidays"
        extra = [f"+{d.isoformat()}" for d in h.add] + [f"−{d.isoformat()}" for d in h.remove]
        parts.append(hol + (f" ({', '.join(extra)})" if extra else ""))
    else:
        parts.append("no holidays")
    return ", ".join(parts)


def _yn(v: bool | None) -> str | None:
    return None if v is None else ("included" if v else "not included")


def _pct(v: float | None) -> str | None:
    return None if v is None else f"{v * 100:g}%"


def _money(v: float | None, currency: str) -> str | None:
    return None if v is None else f"{currency} {v:,.2f}"


def describe_credit(c: ServiceCredit) -> str:
    what = f"{c.priority + ' ' if c.priority else ''}{c.metric}"
    if c.trigger == "per_breach":
        s = f"{c.percent_of_fee:g}% of the monthly fee per breached {what} ticket"
        if c.metric == "uptime":
            s = f"{c.percent_of_fee:g}% of the monthly fee per {what} breach"
    else:
        below = _pct(c.threshold)
        s = f"{c.percent_of_fee:g}% of the monthly fee when monthly {what} compliance is below {below}"
    if c.cap_percent is not None:
        s += f" (capped at {c.cap_percent:g}% a month)"
    return s


class _Collector:
    def __init__(self, old: Contract, new: Contract) -> None:
        self.old, self.new = old, new
        self.items: list[TermChange] = []

    def _both(self, path: str) -> tuple[Any, Any]:
        """The values at the dotted attribute ``path`` of the old and the new contract."""
        o, n = self.old, self.new
        for attr in path.split("."):
            o, n = getattr(o, attr), getattr(n, attr)
        return o, n

    def field(self, path: str, label: str, fmt: Callable[[Any], str | None], section: str) -> None:
        """:meth:`cmp` of the attribute at ``path`` on both sides, rendered by ``fmt``."""
        o, n = self._both(path)
        self.cmp(path, label, fmt(o), fmt(n), section)

    def field_set(self, path: str, label: str, section: str) -> None:
        """:meth:`sets` of the list attribute at ``path`` on both sides."""
        o, n = self._both(path)
        self.sets(path, label, o, n, section)

    def cmp(self, path: str, label: str, old: str | None, new: str | None, section: str) -> None:
        if old == new:
            return
        kind: TermKind = "added" if old is None else "removed" if new is None else "changed"
        self.items.append(TermChange(path, label, old, new, kind, section))

    def sets(self, path: str, label: str, old: Iterable[str], new: Iterable[str], section: str) -> None:
        """The items only one side has; an item reworded ("PHIPA" -> "PHIPA (Personal
        Health Information Protection Act, Ontario)", :func:`item_similarity`) is one
        change under the new wording's key, not a removal and an addition."""
        o, n = list(dict.fromkeys(old)), list(dict.fromkeys(new))
        gone, came = [x for x in o if x not in n], [x for x in n if x not in o]
        reworded = dict(pair_reworded(gone, came))
        renamed = set(reworded.values())
        for x in gone:
            y = reworded.get(x)
            self.cmp(f"{path}[{y if y is not None else x}]", label, x, y, section)
        for x in came:
            if x not in renamed:
                self.cmp(f"{path}[{x}]", label, None, x, section)

    def values(self, path: str, label: str, old: dict[str, str], new: dict[str, str], section: str) -> None:
        """:meth:`cmp` per key of two ``key -> rendering`` maps; a key renamed
        (:func:`pair_reworded`) is one change under the new key, both sides named."""
        gone = [k for k in old if k not in new]
        came = [k for k in new if k not in old]
        renamed = dict(pair_reworded(gone, came))  # old key -> new key
        for k in list(old) + [k for k in new if k not in old and k not in renamed.values()]:
            nk = renamed.get(k)
            if nk is not None:
                self.cmp(f"{path}[{nk}]", f"{label} {nk}", f"{k}: {old[k]}", f"{nk}: {new[nk]}", section)
            else:
                self.cmp(f"{path}[{k}]", f"{label} {k}", old.get(k), new.get(k), section)

    def keyed(
        self,
        path: str,
        label: str,
        old: dict[str, Any],
        new: dict[str, Any],
        fields: Sequence[tuple[str, str, Callable[[Any], str | None]]],
        whole: Callable[[Any], str],
        section: str,
    ) -> None:
        gone = [k for k in old if k not in new]
        came = [k for k in new if k not in old]
        renamed = {b: a for a, b in pair_reworded(gone, came)}  # new key -> old key
        for k, o in old.items():
            if k not in new and k not in renamed.values():
                self.cmp(f"{path}[{k}]", f"{label} {k}", whole(o), None, section)
        for k, n in new.items():
            if k not in old and k not in renamed:
                self.cmp(f"{path}[{k}]", f"{label} {k}", None, whole(n), section)
                continue
            if k in renamed:  # the same item under a new name: the name is one change
                self.cmp(f"{path}[{k}]", f"{label} {k}: renamed", renamed[k], k, section)
            o = old[renamed.get(k, k)]
            for attr, alabel, fmt in fields:
                self.cmp(
                    f"{path}[{k}].{attr}",
                    f"{label} {k}: {alabel}",
                    fmt(getattr(o, attr)),
                    fmt(getattr(n, attr)),
                    section,
                )


def _s(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (tuple, list)):
        return ", ".join(str(x) for x in v) if v else None
    s = str(v)
    return s if s != "" else None


def _steps(v: Sequence[str]) -> str | None:
    return " → ".join(v) or None


def term_changes(old: Contract, new: Contract) -> list[TermChange]:
    """Every structured difference between two contract versions (clause text aside)."""
    c = _Collector(old, new)
    g = "Agreement"
    for path, label in (
        ("name", "Agreement name"),
        ("provider", "Provider"),
        ("client", "Client"),
        ("version", "Version"),
        ("status", "Status"),
        ("effective_date", "Effective date"),
        ("last_reviewed", "Last reviewed"),
    ):
        c.field(path, label, _s, g)
    g = "Fees and credits"
    c.cmp(
        "monthly_fee",
        "Monthly fee",
        _money(old.monthly_fee, old.currency),
        _money(new.monthly_fee, new.currency),
        g,
    )
    if old.monthly_fee is None and new.monthly_fee is None:
        c.cmp("currency", "Currency", old.currency, new.currency, g)

    # coverage / scope
    g = "Service scope"
    so, sn = old.scope, new.scope
    c.field("scope.helpdesk_hours", "Helpdesk coverage", _s, g)
    c.cmp(
        "scope.helpdesk_calendar",
        "Helpdesk calendar",
        human_calendar(so.helpdesk_calendar, old.calendars),
        human_calendar(sn.helpdesk_calendar, new.calendars),
        g,
    )
    for attr, label in (
        ("monitoring_servers", "Server monitoring"),
        ("monitoring_endpoints", "Endpoint monitoring"),
        ("monitoring_network", "Network monitoring"),
        ("patch_management", "Patch management"),
        ("vendor_support", "Software/vendor support"),
    ):
        c.field(f"scope.{attr}", label, _yn, g)
    c.field("scope.notes", "Scope notes", _s, g)

    # calendars
    g = "Coverage calendars"
    for name in sorted(set(old.calendars) | set(new.calendars)):
        oc, nc = old.calendars.get(name), new.calendars.get(name)
        c.cmp(
            f"calendars.{name}",
            f"Calendar '{name}'",
            describe_calendar_spec(oc) if oc else None,
            describe_calendar_spec(nc) if nc else None,
            g,
        )

    # targets
    g = "Response and resolution targets"
    for p in ("P1", "P2", "P3", "P4"):
        to, tn = old.targets.get(p), new.targets.get(p)  # type: ignore[call-overload]
        for m in ("response", "resolution"):
            ov = human_duration(to.target_for(m)) if to else None
            nv = human_duration(tn.target_for(m)) if tn else None
            c.cmp(f"targets.{p}.{m}", f"{p} {m} target", ov, nv, g)
            ocn = to.calendar_for(m) if to and to.target_for(m) else None
            ncn = tn.calendar_for(m) if tn and tn.target_for(m) else None
            if ocn is not None and ncn is not None and ocn != ncn:
                c.cmp(
                    f"targets.{p}.{m}_calendar",
                    f"{p} {m} clock",
                    human_calendar(ocn, old.calendars),
                    human_calendar(ncn, new.calendars),
                    g,
                )
        c.cmp(
            f"targets.{p}.compliance_target",
            f"{p} committed compliance",
            _pct(to.compliance_target) if to else None,
            _pct(tn.compliance_target) if tn else None,
            g,
        )
    g = "Clock pauses"
    c.field_set("pause_statuses", "Clock pauses on status", g)
    c.field("pause_applies_to", "Pauses apply to", _s, g)

    # security
    g = "Cybersecurity"
    xo, xn = old.security, new.security
    c.field_set("security.soc_services", "SOC service", g)
    c.field("security.log_monitoring.frequency", "Log monitoring frequency", _s, g)
    c.field_set("security.log_monitoring.tooling", "Log monitoring tool", g)

    def ep(e: Any) -> str:
        s = "included" if e.included else "not included"
        if e.licence_excluded:
            s += ", excluded by licence"
        return s + (f" ({e.notes})" if e.notes else "")

    eo = {e.product: ep(e) for e in xo.endpoint_coverage}
    en = {e.product: ep(e) for e in xn.endpoint_coverage}
    c.values("security.endpoint_coverage", "Endpoint coverage", eo, en, g)
    c.field_set("security.licence_exclusions", "Licence exclusion", g)
    c.field("security.incident_escalation", "Incident escalation workflow", _steps, g)
    c.values("security.breach_roles", "Breach role:", dict(xo.breach_roles), dict(xn.breach_roles), g)

    # backup
    g = "Backup and recovery"
    bo = {s.name: s for s in old.backup.systems}
    bn = {s.name: s for s in new.backup.systems}
    c.keyed(
        "backup.systems",
        "Backup of",
        bo,
        bn,
        (
            ("rpo", "RPO", human_duration),
            ("rto", "RTO", human_duration),
            ("tier", "tier", _s),
            ("location", "location", _s),
        ),
        lambda s: f"RPO {human_duration(s.rpo)}, RTO {human_duration(s.rto)}, tier {s.tier}, {s.location}",
        g,
    )
    c.field("backup.restore_test_cadence", "Restore-test cadence", _s, g)
    c.field("backup.cloud_backup_monitoring", "Cloud backup monitoring", _yn, g)
    c.field("backup.onprem_backup_monitoring", "On-prem backup monitoring", _yn, g)

    # reporting
    g = "Reporting and reviews"
    c.field_set("reporting.cadence", "Reporting", g)
    c.field_set("reporting.kpis", "Reported KPI", g)

    # escalation matrix
    g = "Escalation matrix"
    c.keyed(
        "escalation_matrix",
        "Escalation of",
        {r.incident_type: r for r in old.escalation_matrix},
        {r.incident_type: r for r in new.escalation_matrix},
        (("owner", "owner", _s), ("team", "team", _s), ("action", "action", _s)),
        lambda r: f"{r.owner} {r.team}" + (f" — {r.action}" if r.action else ""),
        g,
    )

    # client obligations
    g = "Client obligations"

    def ob_key(obs: Sequence[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ob in obs:
            k = ob.kind.replace("_", " ") if ob.kind != "other" else f"other: {ob.text[:40]}"
            n, base = 2, k
            while k in out:
                k, n = f"{base} #{n}", n + 1
            out[k] = ob
        return out

    c.keyed(
        "client_obligations",
        "Client obligation",
        ob_key(old.client_obligations),
        ob_key(new.client_obligations),
        (("text", "text", _s), ("within", "within", human_duration)),
        lambda ob: ob.text + (f" (within {human_duration(ob.within)})" if ob.within else ""),
        g,
    )
    g = "Compliance mandates"
    c.field_set("compliance_mandates", "Compliance mandate", g)

    # credits
    g = "Fees and credits"

    def credit_key(cr: ServiceCredit) -> str:
        return f"{cr.priority or 'all'} {cr.metric} {cr.trigger}"

    co = {credit_key(x): x for x in old.service_credits}
    cn = {credit_key(x): x for x in new.service_credits}
    if co and not cn:
        c.cmp(
            "service_credits",
            "Service credits (all dropped)",
            "; ".join(describe_credit(x) for x in old.service_credits),
            None,
            g,
        )
    elif cn and not co:
        c.cmp(
            "service_credits",
            "Service credits (introduced)",
            None,
            "; ".join(describe_credit(x) for x in new.service_credits),
            g,
        )
    else:
        for k in list(co) + [k for k in cn if k not in co]:
            c.cmp(
                f"service_credits[{k}]",
                f"Service credit {k.rsplit(' ', 1)[0]}",
                describe_credit(co[k]) if k in co else None,
                describe_credit(cn[k]) if k in cn else None,
                g,
            )
    c.cmp(
        "credits_cap_percent",
        "Monthly cap on credits",
        None if old.credits_cap_percent is None else f"{old.credits_cap_percent:g}% of the fee",
        None if new.credits_cap_percent is None else f"{new.credits_cap_percent:g}% of the fee",
        g,
    )

    # uptime
    g = "Uptime"

    def up(u: Any, cals: dict[str, CalendarSpec]) -> str:
        s = f"{u.target_percent:g}% measured on {human_calendar(u.calendar, cals)}"
        return s + ("" if u.maintenance_excluded else ", maintenance counted as downtime")

    uo = {u.service: up(u, old.calendars) for u in old.uptime}
    un = {u.service: up(u, new.calendars) for u in new.uptime}
    c.values("uptime", "Uptime of", uo, un, g)
    return c.items


# ------------------------------------------------------------------ documents


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a contract model, or a document's clauses."""

    title: str
    source: str
    clauses: tuple[Clause, ...]
    contract: Contract | None = None
    parties: tuple[str, ...] = field(default=())
    extracted: bool = False  # terms read from a document by the extractor, not confirmed
    # the document a version was read from (None for a contract model): what its lint reads
    document: Document | None = field(default=None, compare=False, repr=False)


_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BULLET_RE = re.compile(r"^(\s*)[-*+]\s+")


def _clean_inline(line: str) -> str:
    line = _LINK_RE.sub(r"\1", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    line = _BULLET_RE.sub(r"\1- ", line)
    return line.rstrip()


CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


def load_version(path: str | Path) -> Version:
    """A contract file (YAML/JSON) -> its model and clauses; a document -> its clauses
    and the terms the extractor reads out of them."""
    p = Path(path)
    if p.suffix.lower() in CONTRACT_SUFFIXES:
        ct = load_contract(p)
        return version_from_contract(ct, str(p))
    return _read_document(p)


def version_from_contract(ct: Contract, source: str = "") -> Version:
    parties = tuple(x for x in (ct.provider, ct.client) if x)
    return Version(
        title=f"{ct.name} — {ct.version}", source=source, clauses=ct.clauses, contract=ct, parties=parties
    )


def _read_document(p: Path) -> Version:
    """A document (:mod:`workbench.documents.reader`: text, Markdown, DOCX, PDF) -> its
    clauses and the terms the extractor reads out of them."""
    try:
        doc = load_document(p)
    except DocumentError as exc:
        raise ContractError(str(exc)) from None
    clauses = tuple(_model_clause(c.number, c.heading, c.text) for c in doc.clauses)
    clauses = tuple(c for c in clauses if c.number or c.heading or c.text.strip())
    if not clauses:
        raise ContractError(f"{p}: no clause text found")
    title = clauses[0].heading or p.stem
    ct = _extract_terms(doc, p)
    return Version(title=title, source=str(p), clauses=clauses, contract=ct, extracted=ct is not None,
                   document=doc)


def _model_clause(number: str, heading: str, text: str) -> Clause:
    """A document clause as a model Clause: heading line(s) off the body, inline
    Markdown (links, bold, bullets) reduced to its words."""
    lines = text.replace("\r\n", "\n").split("\n")
    title = " ".join(x for x in (number, heading) if x)
    if lines and title and _norm(lines[0].lstrip("#")).endswith(_norm(title)):
        lines = lines[1:]
        if lines and _SETEXT_RE.match(lines[0]):
            lines = lines[1:]
    body = "\n".join(_clean_inline(x) for x in lines).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Clause(number=number, heading=_clean_inline(heading), text=body)


def _extract_terms(doc: Document, p: Path) -> Contract | None:
    """Structured terms read out of a document by the extractor (unconfirmed: the PDF
    says so); None when they do not make a valid contract."""
    try:
        return to_contract(extract(doc), version=p.stem)
    except (ValueError, ContractError):
        return None


# --------------------------------------------------------------------- summary


@dataclass(frozen=True)
class ContractDiff:
    old: Version
    new: Version
    clauses: tuple[ClauseChange, ...]
    terms: tuple[TermChange, ...]

    @property
    def clause_changes(self) -> list[ClauseChange]:
        return [c for c in self.clauses if c.kind != "unchanged"]


def diff_versions(old: Version, new: Version) -> ContractDiff:
    terms: list[TermChange] = []
    if old.contract is not None and new.contract is not None:
        terms = term_changes(old.contract, new.contract)
        if old.extracted or new.extracted:  # name/version of a document are placeholders
            terms = [t for t in terms if t.path not in ("name", "version")]
    return ContractDiff(old, new, tuple(align_clauses(old.clauses, new.clauses)), tuple(terms))


def diff_contracts(old: Contract, new: Contract) -> ContractDiff:
    return diff_versions(version_from_contract(old), version_from_contract(new))


# ------------------------------------------------------------------- rationale keys


def change_keys(diff: ContractDiff) -> list[tuple[str, str]]:
    """Every change's key with its label, in the order the redline lists them: the
    structured terms (``targets.P1.resolution``), then the clauses (``clause:6 Service
    credits``) that changed, were added, removed or moved."""
    out = [(t.key, t.label) for t in diff.terms]
    out += [(c.key, f"{c.kind} clause") for c in diff.clause_changes]
    return out


def _parents(key: str) -> list[str]:
    """The group keys above a term key, nearest last: ``backup.systems[ERP].rpo`` ->
    ``backup``, ``backup.systems``, ``backup.systems[ERP]``."""
    out = []
    depth = 0
    for i, ch in enumerate(key):
        if ch == "[":
            if depth == 0 and i:
                out.append(key[:i])
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0:
            out.append(key[:i])
    return out


def group_keys(diff: ContractDiff) -> dict[str, list[str]]:
    """Rationale keys that stand for the term changes below them (``service_credits``
    for every credit rule changed, ``targets.P1`` for every P1 target), each with the
    change keys it covers."""
    groups: dict[str, list[str]] = {}
    own = {t.key for t in diff.terms}
    for t in diff.terms:
        for parent in _parents(t.key):
            groups.setdefault(parent, []).append(t.key)
    return {k: v for k, v in groups.items() if k not in own}


def expand_rationale(diff: ContractDiff, rationale: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The rationale per change key: a change's own key gives its text; a group key
    (:func:`group_keys`) gives the text of every change it covers that has none of its
    own (the nearest group first).  Returns (text per change key, the keys that match
    no change nor group, in the file's order)."""
    known = {k for k, _ in change_keys(diff)}
    groups = group_keys(diff)
    out = {k: v for k, v in rationale.items() if k in known}
    for t in diff.terms:
        if t.key in out:
            continue
        for parent in reversed(_parents(t.key)):
            if parent in rationale and parent in groups:
                out[t.key] = rationale[parent]
                break
    unmatched = [k for k in rationale if k not in known and k not in groups]
    return out, unmatched
