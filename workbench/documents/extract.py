"""Extract contract terms from a :class:`~workbench.documents.reader.Document`.

Every extracted value is an :class:`Extracted` that keeps the clause it came from,
the half-open span of the words in ``Document.text`` and the quoted words, so the
user can confirm or correct it (the GUI shows the quote next to the value) and the
warnings can cite it.  :func:`to_contract` turns an extraction plus the user's
corrections (``overrides``) into a :class:`models.contract.Contract` version.

Field names (``Extracted.field``):

=================================  ===============================================
``targets.P1.response`` …          a target string of the contract model ("1h",
                                   "next_business_day"); ``detail["calendar"]`` is
                                   ``business`` or ``24x7``; ``detail["variant"]``
                                   names a plan variant such as ``enhanced``
``targets.*.response``             a target stated for all (or all non-emergency)
                                   requests, without a priority
``targets.P1.compliance_target``   "95% within 2 hours" -> 0.95
``resolution_refused``             resolution times explicitly refused
``coverage.hours``                 "8x5", "24x7"
``calendar.weekly``                {"mon": ["09:00-17:30"], …}
``calendar.timezone``              an IANA zone ("UK time" -> Europe/London)
``calendar.holidays``              {"country": "GB", "subdivision": "ENG"}
``backup.rpo`` / ``backup.rto``    durations; ``backup.restore_test_cadence``;
                                   ``backup.monitoring`` ("cloud", "on-prem");
                                   ``backup.mentioned`` (any backup commitment)
``reporting.cadence``              "monthly report"; ``review.cadence``: "quarterly review"
``reporting.kpis``                 "MTTR", "patch compliance", "threat resolution"
``service_credits``                a remedy tied to a missed target (percent if stated)
``uptime``                         committed availability percent
``security.*``                     ``soc_services``, ``noc_soc_boundary``,
                                   ``incident_escalation``, ``log_monitoring``
                                   (frequency or "unstated"), ``breach_roles``
                                   (containment, regulator, auditor, vendor,
                                   notification), ``endpoint_coverage``,
                                   ``licence_exclusions``, ``escalation_rule``
``client_obligations.<kind>``      change_approval, escalation_contacts, severity_matrix
``compliance_mandates``            "GDPR", "Bill C-26", …
``last_reviewed`` / ``document_date``  dates
=================================  ===============================================

Priority names (Severity 1-4, Critical/High/Medium/Low, Urgent/High/Normal/Low,
Priority 1 …) are mapped to P1-P4 explicitly with :mod:`workbench.engine.priorities`; the
mapping and its reasons are returned with the extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from models.contract import Contract, contract_from_data, format_duration
from workbench.documents.reader import MONTHS, Clause, Document, document_date
from workbench.engine.priorities import PriorityNameError, normalise_priority_names

__all__ = ["CONTRACT_PATHS", "Extracted", "Extraction", "contract_path", "extract", "to_contract"]


@dataclass(frozen=True)
class Extracted:
    field: str
    value: Any
    clause: str  # Clause.ref
    span: tuple[int, int]  # half-open offsets into Document.text
    quote: str
    detail: Mapping[str, Any] = dc_field(default_factory=dict)


@dataclass
class Extraction:
    document: Document
    items: list[Extracted] = dc_field(default_factory=list)
    priority_map: dict[str, str] = dc_field(default_factory=dict)  # document's name -> P1..P4
    priority_reasons: dict[str, str] = dc_field(default_factory=dict)

    def all(self, name: str) -> list[Extracted]:
        """Items whose field is ``name`` or lies under it (``security`` -> ``security.*``)."""
        return [e for e in self.items if e.field == name or e.field.startswith(name + ".")]

    def first(self, name: str) -> Extracted | None:
        hits = self.all(name)
        return hits[0] if hits else None

    def has(self, name: str) -> bool:
        return bool(self.all(name))

    def fields(self) -> list[str]:
        return sorted({e.field for e in self.items})


# ------------------------------------------------------------------------ patterns

_WORDNUM = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty-five": 45,
    "forty-eight": 48,
    "sixty": 60,
    "seventy-two": 72,
    "half an": 0.5,
}
_NUM = (
    r"(?P<n>(?<!\d)\d+(?:\.\d+)?|"  # (?<!\d): a search never restarts inside a run of digits
    + "|".join(sorted((re.escape(k) for k in _WORDNUM if k not in ("a", "an")), key=len, reverse=True))
    + ")"
)
_DURATION = re.compile(
    _NUM + r"\s*(?:\(\d+\)\s*)?-?\s*(?P<kind>working|business|clock|calendar)?\s*"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|h|days?)\b",
    re.I,
)
_DAYWORD = re.compile(
    r"\b(?P<which>next|same)[\s-]+(?:(?:business|working)[\s-]+)?day\b|\bend of (?:the )?(?P<eod>next )?"
    r"(?:business|working) day\b",
    re.I,
)
_RESPONSE_WORDS = re.compile(
    r"\b(respon(?:d|se|ded|ses)|first repl(?:y|ies)|repl(?:y|ies)|acknowledg\w*|reaction)\b", re.I
)
_RESOLUTION_WORDS = re.compile(
    r"\b(resol(?:ve|ved|ution|utions)|fix(?:ed)?|restor(?:e|ed|ation)(?: of service)?|work-?arounds?"
    r"|solved?)\b",
    re.I,
)
_PCT_WITHIN = re.compile(r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*(?:of\s+[\w\s]{0,50}?)?(?:within|in)\b", re.I)
# "... or the Customer does not reply within 5 working days": the client's time, no target
_CLIENT_TIME = re.compile(
    r"\b(?:customer|client|user|you)\b[^.;]{0,40}?\b(?:does not|do not|doesn't|don't|fails? to)\s+"
    r"(?:reply|respond|confirm)\w*(?:\s+(?:within|in))?\s*$",
    re.I,
)
# "Medium and low priority requests": names joined by and/or/commas share the noun
_JOIN = r"\s*(?:(?:,|&|/|\band\b|\bor\b)\s*)+"  # one \s* per separator: linear, never backtracking
_LEVEL_WORD = "(?:Critical|Urgent|Emergency|High|Medium|Moderate|Normal|Low)"
_NAME_GROUP_GAP = re.compile("^" + _JOIN + "$", re.I)
_WORD_BEFORE_GROUP = re.compile(
    rf"\b(?P<name>{_LEVEL_WORD})(?={_JOIN}{_LEVEL_WORD}\s+(?:priority|severity|tickets?|incidents?|issues?|requests?)\b)",
    re.I,
)

_PRIORITY_NAME = re.compile(
    r"(?<![-\w])(?P<name>(?:P|Priority[ \t]*|Sev(?:erity)?[ \t]*-?[ \t]*)[0-5]|"
    r"(?:Critical|Urgent|Emergency|High|Medium|Moderate|Normal|Low)(?=[ \t]+(?:priority|severity|tickets?|"
    r"incidents?|issues?|requests?|impact)\b))\b",
    re.I,
)
_PRIORITY_LABEL = re.compile(
    r"^\s*(?P<name>(?:P|Priority[ \t]*|Sev(?:erity)?[ \t]*-?[ \t]*)[0-5]|"
    r"Critical|Urgent|Emergency|High|Medium|"
    r"Moderate|Normal|Low)\b",
    re.I,
)
_NON_EMERGENCY = re.compile(r"\bnon[- ]?(?:emergency|urgent|critical)\b", re.I)
_ENHANCED = re.compile(r"^\s*\((?P<v>enhanced|premium|standard|gold|silver|bronze)\)", re.I)

_DAYS = {
    "monday": "mon",
    "mon": "mon",
    "tuesday": "tue",
    "tue": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "wed": "wed",
    "thursday": "thu",
    "thu": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "fri": "fri",
    "saturday": "sat",
    "sat": "sat",
    "sunday": "sun",
    "sun": "sun",
}
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
)
_DAY_RANGE = re.compile(rf"\b(?P<d0>{_DAY})\.?\s*(?:-|–|—|to|through|thru)\s*(?P<d1>{_DAY})\b\.?", re.I)
_CLOCK = r"(?P<{0}h>\d{{1,2}})(?:[:.](?P<{0}m>\d{{2}}))?\s*(?P<{0}ap>a\.?\s?m\.?|p\.?\s?m\.?)?"
_HOURS_RANGE = re.compile(_CLOCK.format("a") + r"\s*(?:-|–|—|to|until|and)\s*" + _CLOCK.format("b"), re.I)
_COVERAGE = re.compile(r"\b(?P<h>24|8|9|10|12)\s*(?:x|×|/|\s?by\s?)\s*(?P<d>7|5|6)\b", re.I)

_TIMEZONES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:Australian )?Eastern Standard Time \(Sydney\)|\bAEST\b|\bAEDT\b|\bSydney time\b",
        "Australia/Sydney",
    ),
    (r"\bNew Zealand (?:[Ss]tandard |[Dd]aylight )?[Tt]ime\b|\bNZ[SD]T\b|\b(?:Auckland|Wellington) time\b",
     "Pacific/Auckland"),
    (r"\bUK time\b|\bBritish (?:Summer )?Time\b|\bGMT\b|\bBST\b|\bLondon time\b", "Europe/London"),
    (r"\bIrish (?:Standard )?time\b|\bDublin time\b", "Europe/Dublin"),
    (r"\bEastern (?:Standard |Daylight )?Time\b|\bE[SD]T\b|\bET\b", "America/New_York"),
    (r"\bCentral (?:Standard |Daylight )?Time\b|\bCDT\b", "America/Chicago"),
    (r"\bPacific (?:Standard |Daylight )?Time\b|\bP[SD]T\b|\bPT\b", "America/Los_Angeles"),
    (r"\bMountain (?:Standard |Daylight )?Time\b|\bMDT\b", "America/Denver"),
    (r"\bAtlantic (?:Standard |Daylight )?Time\b", "America/Halifax"),
    (r"\bCentral European (?:Summer )?Time\b|\bCEST?\b", "Europe/Berlin"),
    (r"\bToronto time\b", "America/Toronto"),
    (r"\bVancouver time\b", "America/Vancouver"),
    (r"\bUTC\b", "UTC"),
)
_IANA = re.compile(
    r"\b(?:America|Europe|Asia|Australia|Africa|Pacific)/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b"
)

_HOLIDAYS = re.compile(
    r"\b(?:excluding|except(?:\s+on)?|other than|not (?:on|including))\b[^.;]{0,40}?"
    r"\b(?P<kind>bank|public|statutory|national|federal|provincial)\s+holidays?"
    r"(?:\s+(?:in|of)\s+(?:the\s+)?(?P<where>England|Wales|Scotland|Northern Ireland|United Kingdom|UK|"
    r"Ireland|Ontario|Quebec|British Columbia|Alberta|Canada|United States|USA|US|Australia|Germany|France))?"
    r"|\b(?P<kind2>bank|public|statutory)\s+holidays?\s+(?:in|of)\s+(?:the\s+)?(?P<where2>England|Wales|"
    r"Scotland|United Kingdom|UK|Ontario|Quebec|Canada|United States|Australia)\b",
    re.I,
)
_WHERE = {
    "england": ("GB", "ENG"),
    "wales": ("GB", "WLS"),
    "scotland": ("GB", "SCT"),
    "northern ireland": ("GB", "NIR"),
    "united kingdom": ("GB", None),
    "uk": ("GB", None),
    "ireland": ("IE", None),
    "ontario": ("CA", "ON"),
    "quebec": ("CA", "QC"),
    "british columbia": ("CA", "BC"),
    "alberta": ("CA", "AB"),
    "canada": ("CA", None),
    "united states": ("US", None),
    "usa": ("US", None),
    "us": ("US", None),
    "australia": ("AU", None),
    "germany": ("DE", None),
    "france": ("FR", None),
}
_COUNTRY_ZONE = {"GB": "Europe/London", "IE": "Europe/Dublin", "DE": "Europe/Berlin", "FR": "Europe/Paris"}

_CADENCE = (
    r"(?P<cad>daily|weekly|fortnightly|monthly|quarterly|semi-?annual(?:ly)?|bi-?annual(?:ly)?"
    r"|annual(?:ly)?|yearly)"
)
_REPORT = re.compile(
    _CADENCE + r"\s+(?:service\s+|performance\s+|SLA\s+|status\s+|management\s+|written\s+)?reports?\b"
    r"|\breports?\b[^.]{0,60}?\b(?:each|every|per)\s+(?P<per>month|week|quarter|year)\b"
    r"|\b(?:each|every|per)\s+(?P<per2>month|week|quarter)\b[^.]{0,80}?\breport\b"
    r"|\b(?P<dash>KPI|ticket[- ]trend|performance|SLA)\s+dashboards?\b",
    re.I,
)
_REVIEW = re.compile(
    _CADENCE + r"\s+(?:(?:service|business|account|governance|SLA|performance)\s+)?(?:review|roadmap)"
    r"(?:\s+(?:meetings?|sessions?))?\b|\bQBRs?\b|\bquarterly business reviews?\b"
    r"|\breview(?:ed)?\b[^.]{0,30}?\b(?:each|every)\s+(?P<per>month|quarter|year|\d+\s+(?:days|months))\b",
    re.I,
)
_KPIS = (
    ("MTTR", re.compile(r"\bMTTR\b|\bmean time to (?:resolve|resolution|repair|restore)\b", re.I)),
    ("patch compliance", re.compile(r"\bpatch(?:ing)? compliance\b", re.I)),
    ("threat resolution", re.compile(r"\bthreats? (?:resolution|resolved|remediat\w+)\b", re.I)),
)
_CREDITS = re.compile(
    r"\b(?:service|SLA|fee)\s+credits?\b|\bcredit of\b|\bcredits? (?:equal|of|to the customer)\b"
    r"|\brefund(?:ed)?\b[^.]{0,30}\b(?:fees?|charges?)\b|\bwaive[sd]?\b[^.]{0,40}\bfees?\b"
    r"|\b(?:fee|price) (?:reduction|rebate|abatement)\b|\bliquidated damages\b|\bpenalt(?:y|ies)\b"
    r"|\bcredit(?:s|ed)?\s+(?:you\s+|the (?:customer|client)\s+)?(?:with\s+)?\d{1,3}(?:\.\d+)?\s*%",
    re.I,
)
_NOT_CREDIT = re.compile(r"\bcredit (?:or|and) debit\b|\bcredit cards?\b", re.I)
_PERCENT = re.compile(r"(?P<p>\d{1,3}(?:\.\d+)?)\s*%|\b(?P<w>five|ten|twenty|fifteen)\s+percent\b", re.I)
_UPTIME = re.compile(
    r"(?P<p>\d{2,3}(?:\.\d+)?)\s*%\s*(?:\(\s*[“\"]?[\w ]+[”\"]?\s*\)\s*)?(?:uptime|availability|available)"
    r"|(?:uptime|availability)\s+(?:of|target(?: of)?|guarantee(?: of)?|:)\s*(?P<q>\d{2,3}(?:\.\d+)?)\s*%"
    r"|\bis available\s+(?P<r>\d{2,3}(?:\.\d+)?)\s*%",
    re.I,
)
_RPO = re.compile(r"\b(?:RPO|recovery point objective)s?\b", re.I)
_RTO = re.compile(r"\b(?:RTO|recovery time objective)s?\b", re.I)
_RESTORE_TEST = re.compile(
    r"\b(?:restore|recovery|backup|DR|disaster recovery)\s+(?:tests?|testing|drills?)\b"
    r"|\btest(?:ing|ed)?\s+(?:of\s+)?(?:the\s+)?(?:backups?|restores?|recovery)\b",
    re.I,
)
_CAD_WORDS = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "annual": "annual",
    "annually": "annual",
    "yearly": "annual",
    "semiannual": "semiannual",
    "semi-annual": "semiannual",
    "semiannually": "semiannual",
    "semi-annually": "semiannual",
    "biannual": "semiannual",
    "bi-annual": "semiannual",
    "biannually": "semiannual",
    "weekly": "7d",
    "daily": "1d",
}
_BACKUP = re.compile(r"\bback-?ups?\b", re.I)
_BACKUP_MON = re.compile(
    r"\b(?:monitor(?:ing|s|ed)?\s+(?:of\s+)?(?:all\s+)?(?:the\s+)?(?:\w+\s+)?back-?ups?|back-?ups?\s+"
    r"(?:job\s+)?monitoring|back-?ups?\s+(?:jobs?\s+)?(?:are|is|will be)\s+monitored)\b",
    re.I,
)
_SOC = re.compile(
    r"\bSOC\b|\bsecurity operations? cent(?:er|re)\b|\bthreat hunting\b|\bincident detection\b"
    r"|\bmanaged detection\b|\bintrusion detection\b|\bsecurity monitoring\b|\bindicators? of compromise\b"
    r"|\bMSSP\b",
    re.I,
)
_NOC = re.compile(r"\bNOC\b|\bnetwork operations? cent(?:er|re)\b", re.I)
_BOUNDARY = re.compile(
    r"\bseparation of duties\b|\b(?:NOC|MSP)\b[^.]{0,80}\b(?:SOC|MSSP)\b"
    r"|\b(?:SOC|MSSP)\b[^.]{0,80}\b(?:NOC|MSP)\b",
    re.I,
)
_SEC_ESCALATION = re.compile(
    r"\b(?:security|cyber(?:security)?)\s+incidents?\b[^.]{0,120}\bescalat\w*|\bescalat\w*\b[^.]{0,120}"
    r"\b(?:security|cyber(?:security)?)\s+(?:incidents?|events?|alerts?)|\bincident (?:response|escalation) "
    r"(?:plan|workflows?|process|procedure|path)\b|\b(?:MSSP|SOC) escalation\b",
    re.I,
)
_LOG_MON = re.compile(
    r"\blog monitoring\b|\bmonitor(?:ing|s)?\s+(?:of\s+)?(?:\w+\s+){0,2}logs?\b|\bSIEM\b|\blogs?\b[^.]{0,30}"
    r"\bmonitored\b",
    re.I,
)
_FREQ = re.compile(
    r"\b24\s*(?:x|×|/)\s*7\b|\b24/7/365\b|\bround[- ]the[- ]clock\b|\bcontinuous(?:ly)?\b|\breal[- ]time\b"
    r"|\bdaily\b|\bhourly\b|\bbusiness hours\b|\bweekly\b",
    re.I,
)
_BREACH_ROLES = (
    (
        "containment",
        re.compile(
            r"\bcontain(?:ment|s|ing)?\b[^.]{0,80}\b(?:breach|incident|threat)"
            r"|\b(?:breach|incident|threat)\w*\b[^.]{0,80}\bcontain(?:ment)?\b",
            re.I,
        ),
    ),
    (
        "regulator",
        re.compile(
            r"\b(?:regulators?|data protection authorit(?:y|ies)|supervisory authorit"
            r"(?:y|ies)|privacy commissioner|information commissioner)\b",
            re.I,
        ),
    ),
    ("auditor", re.compile(r"\bauditors?\b", re.I)),
    (
        "vendor",
        re.compile(
            r"\b(?:vendors?|third[- ]part(?:y|ies))\b[^.]{0,60}\b(?:incident|breach)\b"
            r"|\b(?:incident|breach)\b[^.]{0,60}\b(?:vendors?)\b",
            re.I,
        ),
    ),
    (
        "notification",
        re.compile(
            r"\b(?:report|notif\w+)\b[^.]{0,30}\b(?:data )?breach(?:es)?\b"
            r"|\bbreach(?:es)?\b[^.]{0,30}\bnotif\w+",
            re.I,
        ),
    ),
)
_ENDPOINT = re.compile(r"\b(?P<p>EDR|XDR|MDR)\b|\bendpoint (?:detection|protection|security)\b", re.I)
_EXCLUDED = re.compile(
    r"\bnot (?:licensed|included|covered)\b|\bexclud\w*\b|\bout of scope\b|\bunlicensed\b", re.I
)
_CHANGE_APPROVAL = re.compile(
    r"\b(?:approv\w+)\b[^.]{0,60}\bchanges?\b|\bchanges?\b[^.]{0,40}\bapprov\w+|\bchange approval\b", re.I
)
_ESC_CONTACTS = re.compile(
    r"\b(?:named|designated|nominated)\s+(?:escalation\s+)?contacts?\b|\bpoints? of contact\b"
    r"|\bescalation contacts?\b|\bcontacts? for escalations?\b",
    re.I,
)
_SEVERITY_MATRIX = re.compile(
    r"\b(?:severity|priority) (?:classification|matrix|definitions?|levels?)\b"
    r"|\b(?:tickets?|incidents?|issues?) (?:are|is) (?:(?:urgent|critical|high|normal|low|medium)"
    r"(?: priority)?|P[1-4]|severity [1-4]) if\b"
    r"|\blevels of (?:priority|severity)\b",
    re.I,
)
_MANDATES = (
    ("Bill C-26", r"\bBill C-?26\b"),
    ("CPPA", r"\bCPPA\b|\bConsumer Privacy Protection Act\b"),
    ("PIPEDA", r"\bPIPEDA\b"),
    ("Law 25", r"\b(?:Quebec )?Law 25\b|\bBill 64\b"),
    ("PHIPA", r"\bPHIPA\b"),
    ("GDPR", r"\b(?:UK |EU )?GDPR\b|\bGeneral Data Protection Regulation\b"),
    ("Data Protection Act", r"\bData Protection Act\b"),
    ("HIPAA", r"\bHIPAA\b"),
    ("PCI DSS", r"\bPCI[- ]?DSS\b"),
    ("SOC 2", r"\bSOC ?2\b"),
    ("ISO 27001", r"\bISO(?:/IEC)? ?27001\b"),
    ("NIS2", r"\bNIS ?2\b"),
    ("DORA", r"\bDORA\b|\bDigital Operational Resilience Act\b"),
    ("SOX", r"\bSarbanes[- ]Oxley\b|\bSOX\b"),
    ("CMMC", r"\bCMMC\b"),
    ("NIST CSF", r"\bNIST\b"),
)
_REFUSED = re.compile(
    r"\bno (?:guaranteed |committed |fixed )?resolution (?:times?|targets?)\b"
    r"|\bresolution (?:times?|targets?) (?:are|is|will) not (?:be )?"
    r"(?:guaranteed|committed|offered|provided)\b"
    r"|\b(?:does|do|will|can)(?: ?not|n't) (?:guarantee|commit to|promise) (?:a |any )?(?:time to )?resol\w+",
    re.I,
)
_DATE = re.compile(
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>" + "|".join(MONTHS) + r")\s+(?P<y>\d{4})"
    r"|(?P<m2>" + "|".join(MONTHS) + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})",
    re.I,
)
_LAST_REVIEWED = re.compile(r"\b(?:last )?(?:reviewed|revised|updated)(?: on| as of)?[:\s]+", re.I)
_EFFECTIVE = re.compile(r"\beffective(?: date| from| as of| on)?[:\s]+", re.I)
_ESC_RULE = re.compile(
    r"^\s*[-*•]?\s*(?P<type>[A-Za-z][A-Za-z /,-]{2,60}?)\s*(?:=|->|→|:|\|)\s*(?P<to>[^|\n]{2,80})"
    r"(?:\|\s*(?P<to2>[^|\n]{2,60}))?",
)
_TEAM = re.compile(r"\b(?P<t>SOC|NOC|Helpdesk|Help desk|Service desk|MSSP|MSP)\b", re.I)


# ------------------------------------------------------------------------- helpers


def _num(text: str) -> float:
    t = text.lower()
    return float(_WORDNUM[t]) if t in _WORDNUM else float(t)


def _sentences(clause: Clause) -> Iterator[tuple[int, int]]:
    """(start, end) offsets (absolute) of the clause's sentences and table rows."""
    text = clause.text
    base = clause.span[0]
    pos = 0
    for m in re.finditer(
        r"\n\s*\n|\n(?=\s*(?:[-*•|]|\d+[.)]|\((?:[a-h]|[ivx]{1,4}|\d{1,2})\))\s)|(?<=[.;!?])\s+(?=[A-Z(“\"])|\n(?=.*\|)"
        r"|\n(?=[^\n]*\S\t)|\n(?=[^\n]*\S {3,}\S)",
        text,
    ):
        if text[pos : m.start()].strip():
            yield base + pos, base + m.start()
        pos = m.end()
    if text[pos:].strip():
        yield base + pos, base + len(text)


def _clean(s: str) -> str:
    return " ".join(s.split())


def _parse_date(m: re.Match[str]) -> date | None:
    try:
        if m.group("iso"):
            return date.fromisoformat(m.group("iso"))
        if m.group("d"):
            return date(int(m.group("y")), MONTHS.index(m.group("m").lower()) + 1, int(m.group("d")))
        return date(int(m.group("y2")), MONTHS.index(m.group("m2").lower()) + 1, int(m.group("d2")))
    except ValueError:
        return None


def _clock(h: str, mi: str | None, ap: str | None) -> int | None:
    hh, mm = int(h), int(mi or 0)
    if ap:
        pm = ap.lower().startswith("p")
        if hh == 12:
            hh = 0
        if pm:
            hh += 12
    if not (0 <= hh <= 24 and 0 <= mm < 60):
        return None
    return hh * 60 + mm


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: list[Extracted] = []

    def add(self, fld: str, value: Any, clause: Clause, span: tuple[int, int], **detail: Any) -> Extracted:
        e = Extracted(fld, value, clause.ref, span, _clean(self.doc.text[span[0] : span[1]]), dict(detail))
        self.items.append(e)
        return e

    def once(self, fld: str, value: Any, clause: Clause, span: tuple[int, int], **detail: Any) -> None:
        if not any(e.field == fld and e.value == value for e in self.items):
            self.add(fld, value, clause, span, **detail)


def _parents(doc: Document, clause: Clause) -> list[Clause]:
    """Clauses whose number is a prefix of this one (3 for 3.2), nearest first."""
    out = []
    parts = clause.number.split(".")
    for k in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:k])
        for c in doc.clauses:
            if c.number == prefix:
                out.append(c)
                break
    return out


# ------------------------------------------------------------------------ extract


def extract(doc: Document, priority_overrides: Mapping[str, str] | None = None) -> Extraction:
    """Extract the contract terms of a document (see the module docstring for fields)."""
    b = _Builder(doc)
    text = doc.text
    dd = document_date(doc)
    if dd is not None:
        d, c = dd
        b.add("document_date", d, c, c.span)

    # ---- calendar first: business-day length is needed for "5 business days"
    for c in doc.clauses:
        for s0, s1 in _sentences(c):
            s = text[s0:s1]
            _calendar_terms(b, c, s, s0)
    day_hours = _business_day_hours(b.items)

    # ---- priorities named in the document
    names: list[str] = []
    for c in doc.clauses:
        for m in _PRIORITY_NAME.finditer(c.heading + "\n" + c.text):
            names.append(_canon_name(m.group("name")))
    names += _table_names(doc)
    names = list(dict.fromkeys(names))
    pmap: dict[str, str] = {}
    reasons: dict[str, str] = {}
    if names:
        try:
            mapping = normalise_priority_names(names, priority_overrides)
            pmap, reasons = dict(mapping), dict(mapping.explanation)
        except PriorityNameError:
            for n in names:
                try:
                    one = normalise_priority_names([n], priority_overrides)
                    pmap.update(one)
                    reasons.update(one.explanation)
                except PriorityNameError:
                    continue

    pol = _calendar_policy(doc, pmap, any(e.field == "calendar.weekly" for e in b.items))
    for c in doc.clauses:
        _target_terms(b, doc, c, pmap, day_hours, pol)
        for s0, s1 in _sentences(c):
            _other_terms(b, c, text[s0:s1], s0)
    return Extraction(doc, b.items, pmap, reasons)


def _canon_name(name: str) -> str:
    n = " ".join(name.split())
    return (
        n[0].upper() + n[1:].lower() if n.isalpha() else n.upper() if re.fullmatch(r"[ps]\d", n, re.I) else n
    )


def _day_key(word: str) -> str:
    """'Mondays' -> 'monday', 'Fri.' -> 'fri'."""
    w = word.lower().rstrip(".")
    return w[:-1] if w.endswith("days") else w


def _business_day_hours(items: list[Extracted]) -> float:
    for e in items:
        if e.field == "calendar.weekly":
            best = 0.0
            for windows in e.value.values():
                total = 0
                for w in windows:
                    a, b_ = w.split("-")
                    total += (int(b_[:2]) * 60 + int(b_[3:])) - (int(a[:2]) * 60 + int(a[3:]))
                best = max(best, total / 60)
            if best:
                return best
    for e in items:
        if e.field == "coverage.hours" and e.value.endswith("x5"):
            return float(e.value.split("x")[0])
    return 8.0


def _calendar_terms(b: _Builder, c: Clause, s: str, s0: int) -> None:
    for m in _COVERAGE.finditer(s):
        val = f"{m.group('h')}x{m.group('d')}"
        b.once("coverage.hours", val, c, (s0 + m.start(), s0 + m.end()))
    hr = _HOURS_RANGE.search(s)
    if (
        hr
        and not re.search(r"\bmaintenance\b|\boutside (?:of )?the hours\b", s, re.I)
        and (hr.group("aap") or hr.group("bap") or hr.group("am") or hr.group("bm"))
    ):
        a = _clock(hr.group("ah"), hr.group("am"), hr.group("aap"))
        bb = _clock(hr.group("bh"), hr.group("bm"), hr.group("bap"))
        if (
            a is not None
            and bb is not None
            and bb > a
            and re.search(
                r"\b(?:hours|time|am|pm|a\.m|p\.m|monday|weekdays|open|support|available|availability)\b",
                s,
                re.I,
            )
        ):
            window = f"{a // 60:02d}:{a % 60:02d}-{bb // 60:02d}:{bb % 60:02d}"
            dr = _DAY_RANGE.search(s)
            if dr:
                d0 = _WEEK.index(_DAYS[_day_key(dr.group("d0"))])
                d1 = _WEEK.index(_DAYS[_day_key(dr.group("d1"))])
                days = _WEEK[d0 : d1 + 1] if d1 >= d0 else _WEEK[d0:] + _WEEK[: d1 + 1]
                note = ""
            elif re.search(r"\b(?:every day|seven days|7 days|daily)\b", s, re.I):
                days, note = _WEEK, ""
            else:
                days, note = _WEEK[:5], "days not stated: Monday to Friday assumed"
            end = max(hr.end(), dr.end() if dr else 0)
            start = min(hr.start(), dr.start() if dr else hr.start())
            if not any(e.field == "calendar.weekly" for e in b.items):
                b.add("calendar.weekly", {d: [window] for d in days}, c, (s0 + start, s0 + end), note=note)
    for pattern, zone in _TIMEZONES:
        mz = re.search(pattern, s)
        if mz and not any(e.field == "calendar.timezone" for e in b.items):
            b.add("calendar.timezone", zone, c, (s0 + mz.start(), s0 + mz.end()))
            break
    mi = _IANA.search(s)
    if mi and not any(e.field == "calendar.timezone" and e.value == mi.group(0) for e in b.items):
        b.items[:] = [e for e in b.items if e.field != "calendar.timezone"]  # an IANA name wins
        b.add("calendar.timezone", mi.group(0), c, (s0 + mi.start(), s0 + mi.end()))
    mh = _HOLIDAYS.search(s)
    if mh:
        where = (mh.group("where") or mh.group("where2") or "").lower()
        kind = (mh.group("kind") or mh.group("kind2") or "").lower()
        country, sub = _WHERE.get(where, (None, None))
        note = ""
        if country is None and kind == "bank":
            country, note = "GB", '"bank holidays" read as the United Kingdom\'s'
        value = {"country": country, "subdivision": sub} if country else {"country": None}
        b.once("calendar.holidays", value, c, (s0 + mh.start(), s0 + mh.end()), note=note)


def _duration_value(
    m: re.Match[str], day_hours: float, business_default: bool = False
) -> tuple[str, str] | None:
    """A duration match -> (target string, calendar kind).  ``business_default``: the
    document measures its times in business hours, so a bare "1 day" is a business day."""
    n = _num(m.group("n"))
    unit = m.group("unit").lower()
    kind = (m.group("kind") or "").lower()
    business = kind in ("working", "business") or (business_default and kind not in ("clock", "calendar"))
    if unit.startswith("min"):
        seconds = n * 60
    elif unit.startswith(("hour", "hr")) or unit == "h":
        seconds = n * 3600
    else:
        seconds = n * (day_hours if business else 24) * 3600
    if seconds <= 0 or seconds != int(seconds):
        return None
    explicit = kind in ("working", "business") or (unit.startswith("day") and business)
    return format_duration(int(seconds)), "business" if explicit else "24x7"


_METRIC_RIGHT_AFTER = re.compile(r"[ \t]*(?:(?:working|business|clock)[ \t]+)?(?:first[ \t]+)?(?=\w)")


def _metric_near(s: str, at: int, end: int | None = None, since: int = 0) -> str | None:
    """The metric a time at offset ``at`` (ending at ``end``) of sentence ``s`` belongs to: a
    metric word right after the time ("4 hours resolution") names it, else the nearest one
    before it since the previous time ``since`` ("respond within 15 minutes and restore service
    within 4 hours"), else the nearest one."""
    if end is not None:
        m = _METRIC_RIGHT_AFTER.match(s, end)
        if m is not None:
            for rx, metric in ((_RESPONSE_WORDS, "response"), (_RESOLUTION_WORDS, "resolution")):
                word = rx.match(s, m.end())
                # "4 hours resolution", but not the label of the next line ("Resolution: 4 hours")
                if word and not re.match(r"[ \t]*(?:target|time)?[ \t]*:", s[word.end() :], re.I):
                    return metric
    own: list[tuple[int, str]] = []
    for rx, metric in ((_RESPONSE_WORDS, "response"), (_RESOLUTION_WORDS, "resolution")):
        own += [(mm.end(), metric) for mm in rx.finditer(s, since, at)]
    if own:
        return max(own)[1]
    before = s[max(0, at - 90) : at]
    after = s[at : at + 40]
    hits: list[tuple[int, str]] = []
    for rx, metric in ((_RESPONSE_WORDS, "response"), (_RESOLUTION_WORDS, "resolution")):
        for mm in rx.finditer(before):
            hits.append((len(before) - mm.end(), metric))
        for mm in rx.finditer(after):
            hits.append((mm.start() + 5, metric))
    if not hits:
        return None
    return min(hits)[1]


_RANGE_BEFORE = re.compile(r"(?<!\d)\d+(?:\.\d+)?\s*(?:-|–|—|to)\s*$", re.I)


def _times_in(s: str, day_hours: float, business_default: bool = False) -> list[tuple[int, int, str, str]]:
    """(start, end, target, calendar) of each time commitment in a sentence; a range ("1 to 3
    business days", "4–8 hours") gives its upper bound (the start of the span is the range's)."""
    out = []
    for m in _DURATION.finditer(s):
        pre = s[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(?:after|than|over|exceed(?:ing)?|maximum of|retention)\s*$", pre) or (
            m.group("n").lower() in _WORDNUM and m.group("n").lower() == "a"
        ):
            continue
        dv = _duration_value(m, day_hours, business_default)
        if dv:
            rg = _RANGE_BEFORE.search(s, 0, m.start())
            out.append((rg.start() if rg else m.start(), m.end(), dv[0], dv[1]))
    for m in _DAYWORD.finditer(s):
        if m.group("which"):
            which = m.group("which").lower()
        else:
            which = "next" if m.group("eod") else "same"
        out.append((m.start(), m.end(), f"{which}_business_day", "business"))
    out.sort()
    return out


# ------------------------------------------------------------ calendars of targets

_ANYTIME = re.compile(
    r"\bat any time\b|\bday or night\b|\b24\s*(?:x|/|×)\s*7(?:\s*(?:x|/|×)\s*365)?\b"
    r"|\b(?:a)?round[- ]the[- ]clock\b|\b24 hours a day\b",
    re.I,
)
_BUSINESS_MEASURE = re.compile(
    r"\b(?:measured|counted|count|run|runs|stated|apply|applies|based)\b[^.;]{0,40}?\b(?:in|within|during|on)"
    r"\s+(?:the\s+|these\s+)?(?:support|business|service|working|office)\s+(?:hours|days)\b"
    r"|\b(?:measured|counted|run|apply|applies)\b[^.;]{0,30}?\b(?:during|within|in)\s+(?:the\s+|these\s+)?"
    r"(?:hours of (?:cover|operation|service|support)|(?:these\s+)?service hours)\b"
    r"|\btimes?\s+are\s+(?:in\s+)?(?:business|working|support)\s+hours\b"
    r"|\b(?:business|working|support) hours only\b",
    re.I,
)


@dataclass
class _CalendarPolicy:
    """How the document says its targets are measured: a default (``business`` when it says
    times run in business hours, or names only some priorities as 24x7 and states a working
    week), and the priorities it states as 24x7."""

    default: str = "24x7"
    round_the_clock: set[str] = dc_field(default_factory=set)

    def calendar(self, prio: str | None, explicit: str, sentence: str = "") -> str:
        if explicit == "business":
            return "business"
        if _ANYTIME.search(sentence):
            return "24x7"
        if prio in self.round_the_clock:
            return "24x7"
        return self.default


def _calendar_policy(doc: Document, pmap: Mapping[str, str], weekly_stated: bool) -> _CalendarPolicy:
    pol = _CalendarPolicy()
    business = False
    for c in doc.clauses:
        for s0, s1 in _sentences(c):
            for s in doc.text[s0:s1].split(";"):
                if _BUSINESS_MEASURE.search(s):
                    business = True
                if not _ANYTIME.search(s):
                    continue
                prios = {p for _, ps in _priority_mentions(s, pmap) for p in ps}
                lab = _PRIORITY_LABEL.match(s.strip().lstrip("|").strip())
                if lab and _canon_name(lab.group("name")) in pmap:
                    prios.add(pmap[_canon_name(lab.group("name"))])
                words = [_canon_name(m.group(0)) for m in _BARE_PRIORITY_WORD.finditer(s)]
                prios |= {pmap[n] for n in words if n in pmap}
                pol.round_the_clock |= prios
    if business or (pol.round_the_clock and weekly_stated):
        pol.default = "business"
    return pol


# ------------------------------------------------------------------------ tables

_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_BARE_NUMBER = re.compile(r"^\s*(?P<n>[0-5])\s*(?:$|[-–—:.)]\s*\S)")
_BARE_PRIORITY_WORD = re.compile(r"\b(?:Critical|Urgent|Emergency)\b")
_RESPONSE_HEAD = re.compile(r"\brespon|\breaction\b|\binitial\b|\backnowledg|\bfirst repl", re.I)
_COMPLIANCE_HEAD = re.compile(r"\bservice level\b|\bcompliance\b|\bachievement\b|%|\bpercent", re.I)
_PLAN_HEAD = re.compile(
    r"\b(standard|premium|enhanced|gold|silver|bronze|basic|enterprise|professional)\b"
    r"(?:\s+(?:plan|tier|support))?",
    re.I,
)
_COVERAGE_HEAD = re.compile(r"\bcoverage\b|\bhours of (?:cover|service|support)\b|\bsupport hours\b", re.I)
_HEAD_UNIT = re.compile(
    r"\((?:in\s+)?(?P<kind>business |working )?(?P<unit>minutes|mins|hours|hrs|days)\)", re.I
)


@dataclass
class _Table:
    header: list[str]
    rows: list[list[tuple[int, int]]]  # absolute spans of each row's cells
    span: tuple[int, int]
    transposed: bool = False


def _cells(line: str, at: int, kind: str) -> list[tuple[int, int]]:
    """Absolute (start, end) of each cell of a table line (stripped; an empty cell keeps its
    column); ``kind`` is ``pipe``, ``tab`` or ``spaces`` (a table flattened to text)."""
    if kind == "pipe":
        body_start = len(line) - len(line.lstrip())
        body = line.rstrip()
        i0 = body_start + 1 if body[body_start:].startswith("|") else body_start
        i1 = len(body) - 1 if body.endswith("|") and len(body) - 1 >= i0 else len(body)
        seps = [i0 - 1, *[i for i in range(i0, i1) if line[i] == "|"], i1]
    else:
        rx = re.compile(r"\t+" if kind == "tab" else r"[ \t]{2,}")
        inner = line.strip()
        lead = len(line) - len(line.lstrip())
        seps = [lead - 1]
        ends = []
        for m in rx.finditer(inner):
            ends.append((lead + m.start(), lead + m.end()))
        out = []
        pos = lead
        for a, b in ends:
            out.append((at + pos, at + a))
            pos = b
        out.append((at + pos, at + lead + len(inner)))
        return out
    out = []
    for a, b in zip(seps, seps[1:], strict=False):
        cell = line[a + 1 : b]
        lstrip = len(cell) - len(cell.lstrip())
        out.append((at + a + 1 + lstrip, at + a + 1 + len(cell.rstrip())))
    return out


def _line_kind(line: str) -> str | None:
    if "|" in line:
        return "pipe"
    if "\t" in line.strip():
        return "tab"
    if re.search(r"\S[ \t]{2,}\S", line.strip()):
        return "spaces"
    return None


def _metric_of(head: str) -> str | None:
    h = head.lower()
    resp = bool(_RESPONSE_HEAD.search(h))
    reso = bool(_RESOLUTION_WORDS.search(h))
    if resp and reso:
        return "both"
    return "response" if resp else "resolution" if reso else None


def _label_name(cell: str, corner: str) -> str | None:
    """The priority name a row label (or a transposed header cell) states: "P1 – Critical" ->
    "P1", "Severity 2", "Sev1", "Critical"; a bare number under a Severity/Priority column ->
    "Severity 1" / "Priority 1"."""
    lab = _PRIORITY_LABEL.match(cell)
    if lab:
        return _canon_name(lab.group("name"))
    m = _BARE_NUMBER.match(cell)
    if m:
        return ("Severity " if re.search(r"\bsev", corner, re.I) else "Priority ") + m.group("n")
    return None


def _tables(doc: Document, c: Clause) -> list[_Table]:
    """The response/resolution tables of a clause: a header row naming the metrics (or, for a
    table with priorities as columns, naming priorities), then its rows."""
    out: list[_Table] = []
    text = c.text
    base = c.span[0]
    lines: list[tuple[int, str]] = []
    pos = 0
    for ln in text.splitlines(keepends=True):
        lines.append((base + pos, ln.rstrip("\r\n")))
        pos += len(ln)
    i = 0
    while i < len(lines):
        at, line = lines[i]
        kind = _line_kind(line)
        if kind is None:
            i += 1
            continue
        spans = _cells(line, at, kind)
        heads = [doc.text[a:b] for a, b in spans]
        metrics = [_metric_of(h) for h in heads]
        prio_heads = [h for h in heads[1:] if _PRIORITY_LABEL.match(h) and len(h) < 30]
        transposed = len(prio_heads) >= 2 and not any(metrics[1:])
        if (
            len(spans) < 2
            or not (any(metrics[1:]) or transposed)
            or (kind == "spaces" and len(spans) < 3)
            or _DURATION.search(line)  # a header names columns; a row with times is no header
            or any(len(h) > 60 for h in heads)
        ):
            i += 1
            continue
        table = _Table(heads, [], (at, at + len(line)), transposed)
        j = i + 1
        while j < len(lines):
            at2, line2 = lines[j]
            if _line_kind(line2) != kind:
                break
            cells = _cells(line2, at2, kind)
            if kind == "spaces" and len(cells) < 2:
                break
            if all(_SEPARATOR_CELL.match(doc.text[a:b] or "--") for a, b in cells):
                j += 1
                continue
            table.rows.append(cells)
            table.span = (table.span[0], at2 + len(line2))
            j += 1
        out.append(table)
        i = j
    return out


def _table_names(doc: Document) -> list[str]:
    names: list[str] = []
    for c in doc.clauses:
        for t in _tables(doc, c):
            corner = t.header[0] if t.header else ""
            if t.transposed:
                names += [n for h in t.header[1:] if (n := _label_name(h, corner))]
                continue
            for row in t.rows:
                if row:
                    n = _label_name(doc.text[row[0][0] : row[0][1]], corner)
                    if n:
                        names.append(n)
    return names


def _table_targets(
    b: _Builder, doc: Document, c: Clause, t: _Table, pmap: Mapping[str, str], day_hours: float,
    pol: _CalendarPolicy,
) -> None:
    text = doc.text
    corner = t.header[0] if t.header else ""
    business_default = pol.default == "business"

    def add_cell(prio: str, metric: str, span: tuple[int, int], head: str, row_cal: str | None,
                 seen: set[str]) -> None:
        cell = text[span[0] : span[1]]
        unit = _HEAD_UNIT.search(head)
        head_business = bool(unit and unit.group("kind")) or bool(
            re.search(r"\b(?:business|working)\b", head, re.I)
        )
        times = _times_in(cell, day_hours, business_default or head_business or row_cal == "business")
        if not times and unit and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", cell):
            m = _DURATION.match(f"{cell.strip()} {unit.group('kind') or ''}{unit.group('unit')}")
            dv = _duration_value(m, day_hours, business_default) if m else None
            if dv:
                times = [(0, len(cell), dv[0], dv[1])]
        metrics = ["response", "resolution"] if metric == "both" else [metric]
        for (t0, t1, target, cal), met in zip(times, metrics, strict=False):
            explicit = "business" if head_business else cal
            if row_cal == "24x7" and explicit != "business":
                calendar = "24x7"
            elif row_cal == "business":
                calendar = "business"
            else:
                calendar = pol.calendar(prio, explicit, cell)
            detail: dict[str, Any] = {"calendar": calendar}
            plan = _PLAN_HEAD.search(head)
            if plan:  # "Response (Premium plan)": a plan variant; the standard plan is the target
                detail["variant"] = plan.group(1).lower()
            elif met in seen:
                detail["variant"] = "alternative"
            if re.search(r"\d\s*(?:-|–|—|to)\s*\d", cell[t0:t1]):
                detail["note"] = "a range: the upper bound is taken"
            seen.add(met)
            b.add(f"targets.{prio}.{met}", target, c, (span[0] + t0, span[0] + t1), **detail)

    if t.transposed:
        prios = [pmap.get(n) if (n := _label_name(h, corner)) else None for h in t.header]
        seen_by_prio: dict[str, set[str]] = {}
        for row in t.rows:
            metric = _metric_of(text[row[0][0] : row[0][1]]) if row else None
            if metric is None:
                continue
            for idx, span in enumerate(row[1:], start=1):
                prio = prios[idx] if idx < len(prios) else None
                if prio:
                    add_cell(prio, metric, span, t.header[0], None, seen_by_prio.setdefault(prio, set()))
        return
    metric_cols = [(i, m) for i, h in enumerate(t.header) if i > 0 and (m := _metric_of(h))]
    plain = [(i, h) for i, h in enumerate(t.header) if i > 0 and not _metric_of(h)]
    comp_cols = [i for i, h in plain if _COMPLIANCE_HEAD.search(h)]
    cover_cols = [i for i, h in plain if _COVERAGE_HEAD.search(h)]
    for row in t.rows:
        if not row:
            continue
        name = _label_name(text[row[0][0] : row[0][1]], corner)
        prio = pmap.get(name) if name else None
        if prio is None:
            continue
        row_text = " ".join(text[a:b_] for a, b_ in row)
        row_cal: str | None = None
        for i in cover_cols:
            if i < len(row):
                cov = text[row[i][0] : row[i][1]]
                row_cal = "24x7" if _ANYTIME.search(cov) else "business" if re.search(
                    r"business|working|office|support hours", cov, re.I) else None
        if row_cal is None and _ANYTIME.search(row_text) and len(metric_cols) and not any(
            _ANYTIME.search(text[row[i][0] : row[i][1]]) for i, _ in metric_cols if i < len(row)
        ):
            row_cal = "24x7"
        seen: set[str] = set()
        for i, metric in metric_cols:
            if i < len(row):
                add_cell(prio, metric, row[i], t.header[i], row_cal, seen)
        for i in comp_cols:
            if i < len(row):
                pm = _PERCENT.search(text[row[i][0] : row[i][1]])
                if pm and pm.group("p"):
                    b.add(f"targets.{prio}.compliance_target", float(pm.group("p")) / 100, c,
                          (row[i][0] + pm.start(), row[i][0] + pm.end()))


_GROUP_SEP = r"(,|&|/|\band\b|\bor\b|\bto\b|-|–)"
_NUMBER_GROUP = re.compile(
    r"(?<![-\w])(?P<first>(?:P|Priority[ \t]*|Sev(?:erity)?[ \t]*-?[ \t]*)(?P<n>[0-4]))"
    r"(?P<rest>(?:[ \t]*" + _GROUP_SEP + r"[ \t]*(?:P|Priority[ \t]*|Sev(?:erity)?[ \t]*)?[0-5]\b"
    r"(?![ \t]*(?:min|hour|hr|h\b|day|business|working|%|[.:]\d)))+)",
    re.I,
)


def _number_groups(s: str, pmap: Mapping[str, str]) -> list[tuple[int, int, list[str]]]:
    """(start, end, priorities) of "Priority 1 and 2", "P2 to P4", "Severity 2, 3": the later
    numbers count on the scale of the first name (a range takes the levels between)."""
    out = []
    for m in _NUMBER_GROUP.finditer(s):
        first = pmap.get(_canon_name(m.group("first")))
        if first is None:
            continue
        offset = int(first[1]) - int(m.group("n"))
        levels = [int(m.group("n"))]
        for sep, num in re.findall(_GROUP_SEP + r"[ \t]*\D*?([0-5])\b", m.group("rest"), re.I):
            n = int(num)
            if sep.lower() in ("to", "-", "–") and n > levels[-1]:
                levels += list(range(levels[-1] + 1, n + 1))
            else:
                levels.append(n)
        prios = [f"P{min(max(n + offset, 1), 4)}" for n in levels]
        out.append((m.start(), m.end(), list(dict.fromkeys(prios))))
    return out


def _priority_mentions(s: str, pmap: Mapping[str, str]) -> list[tuple[int, list[str]]]:
    """(offset, priorities) of each priority mention of a sentence; names joined by and/or
    ("Medium and low priority requests", "P2 and P3") form one mention of both."""
    found: list[tuple[int, int, str]] = []
    for m in _PRIORITY_NAME.finditer(s):
        n = _canon_name(m.group("name"))
        if n in pmap:
            found.append((m.start(), m.end(), pmap[n]))
    for m in _WORD_BEFORE_GROUP.finditer(s):
        n = _canon_name(m.group("name"))
        if n in pmap:
            found.append((m.start(), m.end(), pmap[n]))
    groups = _number_groups(s, pmap)
    found = [f for f in found if not any(a <= f[0] < e for a, e, _ in groups)]
    found += [(a, e, p) for a, e, ps in groups for p in ps]
    found.sort()
    out: list[tuple[int, list[str]]] = []
    last_end = -1
    for a, e, p in found:
        if out and (a < last_end or _NAME_GROUP_GAP.match(s[last_end:a])):
            if p not in out[-1][1]:
                out[-1][1].append(p)
        else:
            out.append((a, [p]))
        last_end = max(last_end, e)
    return out


def _mention_for(mentions: list[tuple[int, list[str]]], at: int) -> list[str]:
    """The priorities a time at ``at`` belongs to: the last mention before it, else the first."""
    before = [m for m in mentions if m[0] < at]
    return (before[-1] if before else mentions[0])[1]


def _target_terms(
    b: _Builder, doc: Document, c: Clause, pmap: Mapping[str, str], day_hours: float, pol: _CalendarPolicy
) -> None:
    text = doc.text
    tables = _tables(doc, c)
    for t in tables:
        _table_targets(b, doc, c, t, pmap, day_hours, pol)
    context_names = [
        _canon_name(m.group("name"))
        for p in [c, *_parents(doc, c)]
        for m in [_PRIORITY_NAME.search(p.heading) or _PRIORITY_LABEL.match(p.heading)]
        if m
    ]
    business_default = pol.default == "business"
    for s0, s1 in _sentences(c):
        if any(s0 < t.span[1] and t.span[0] < s1 for t in tables):
            continue
        s = text[s0:s1]
        times = _times_in(s, day_hours, business_default)
        pct = _PCT_WITHIN.search(s)
        if not times:
            continue
        mentions = _priority_mentions(s, pmap)
        if not mentions:
            lab = _PRIORITY_LABEL.match(s.strip().lstrip("-*•").strip())
            if lab and _canon_name(lab.group("name")) in pmap:
                mentions = [(0, [pmap[_canon_name(lab.group("name"))]])]
        context = list(dict.fromkeys(pmap[n] for n in context_names if n in pmap))
        scope = "non-emergency" if _NON_EMERGENCY.search(s) else ""
        seen_metric: set[tuple[str, tuple[str, ...]]] = set()
        previous_end = 0
        for t0, t1, target, cal in times:
            since, previous_end = previous_end, t1
            if _CLIENT_TIME.search(s, 0, t0):
                continue
            metric = _metric_near(s, t0, t1, since)
            if metric is None:
                continue
            if not mentions and len(context) > 1:
                continue  # the clause names several priorities: whose time this is is not said
            prios = _mention_for(mentions, t0) if mentions else context
            variant = ""
            mv = _ENHANCED.match(s[t1:])
            if mv:
                variant = mv.group("v").lower()
            calendar = pol.calendar(prios[0] if len(prios) == 1 else None, cal, s)
            detail: dict[str, Any] = {"calendar": calendar}
            if variant:
                detail["variant"] = variant
            if (metric, tuple(prios)) in seen_metric and not variant:
                detail["variant"] = "alternative"
            seen_metric.add((metric, tuple(prios)))
            for prio in prios:
                b.add(f"targets.{prio}.{metric}", target, c, (s0 + t0, s0 + t1), **detail)
            if not prios:
                if scope:
                    detail["applies_to"] = scope
                b.add(f"targets.*.{metric}", target, c, (s0 + t0, s0 + t1), **detail)
            if pct and len(prios) == 1 and pct.end() <= t1 + 1 and pct.start() < t0 and since <= pct.start():
                b.add(
                    f"targets.{prios[0]}.compliance_target",
                    float(pct.group("pct")) / 100,
                    c,
                    (s0 + pct.start(), s0 + t1),
                )


def _norm(raw: str) -> tuple[str, list[int]]:
    """Whitespace runs -> one space, with the raw offset of every kept character."""
    out: list[str] = []
    idx: list[int] = []
    for m in re.finditer(r"\s+|\S+", raw):
        if m.group(0)[0].isspace():
            out.append(" ")
            idx.append(m.start())
        else:
            out.append(m.group(0))
            idx.extend(range(m.start(), m.end()))
    return "".join(out), idx


def _other_terms(b: _Builder, c: Clause, raw: str, s0: int) -> None:
    s, idx = _norm(raw)

    def at(i: int, end: bool = False) -> int:
        if not idx:
            return s0
        if end:
            return s0 + idx[min(i, len(idx)) - 1] + 1 if i > 0 else s0
        return s0 + idx[min(i, len(idx) - 1)]

    def span(m: re.Match[str]) -> tuple[int, int]:
        return at(m.start()), at(m.end(), end=True)

    m = _REFUSED.search(s)
    if m:
        b.add("resolution_refused", True, c, span(m))
    for m in _REPORT.finditer(s):
        if m.group("dash"):
            b.once("reporting.cadence", f"{m.group('dash')} dashboard", c, span(m))
            continue
        cad = (
            m.group("cad")
            or {"month": "monthly", "week": "weekly", "quarter": "quarterly", "year": "annual"}[
                (m.group("per") or m.group("per2")).lower()
            ]
        ).lower()
        b.once("reporting.cadence", f"{cad} report", c, span(m))
    for m in _REVIEW.finditer(s):
        cad = (m.group("cad") or m.group("per") or "quarterly").lower()
        cad = {"month": "monthly", "quarter": "quarterly", "year": "annual"}.get(cad, cad)
        b.once("review.cadence", f"{cad} review", c, span(m))
    for name, rx in _KPIS:
        m = rx.search(s)
        if m:
            b.once("reporting.kpis", name, c, span(m))
    for m in _CREDITS.finditer(s):
        if _NOT_CREDIT.search(s[max(0, m.start() - 5) : m.end() + 12]):
            continue
        p = _PERCENT.search(s)
        pct = None
        if p:
            pct = (
                float(p.group("p"))
                if p.group("p")
                else {"five": 5.0, "ten": 10.0, "fifteen": 15.0, "twenty": 20.0}[p.group("w").lower()]
            )
        b.add("service_credits", pct if pct is not None else _clean(m.group(0)), c, span(m))
        break
    m = _UPTIME.search(s)
    if m:
        b.once("uptime", float(m.group("p") or m.group("q") or m.group("r")), c, span(m))
    for rx, fld in ((_RPO, "backup.rpo"), (_RTO, "backup.rto")):
        m = rx.search(s)
        if m:
            tail = s[m.end() : m.end() + 80]
            dm = _DURATION.search(tail)
            if dm:
                dv = _duration_value(dm, 24)
                if dv:
                    b.add(fld, dv[0], c, (at(m.start()), at(m.end() + dm.end(), end=True)))
                    continue
            b.add(fld, None, c, span(m), note="named without a duration")
    m = _RESTORE_TEST.search(s)
    if m:
        cad = re.search(
            r"\b(monthly|quarterly|annual(?:ly)?|yearly|semi-?annual(?:ly)?|bi-?annual(?:ly)?)\b", s, re.I
        )
        every = re.search(r"\bevery\s+(\d+)\s+days\b", s, re.I)
        value = _CAD_WORDS.get(cad.group(1).lower()) if cad else f"{every.group(1)}d" if every else None
        b.add("backup.restore_test_cadence", value, c, span(m))
    m = _BACKUP_MON.search(s)
    if m:
        where = []
        if re.search(r"\bcloud\b|\bSaaS\b|\bMicrosoft 365\b|\bS3\b", s, re.I):
            where.append("cloud")
        if re.search(r"\bon[- ]?prem(?:ises|ise)?\b|\blocal\b|\bNAS\b|\bservers?\b", s, re.I):
            where.append("on-prem")
        b.add("backup.monitoring", "+".join(where) or "unstated", c, span(m))
    m = _BACKUP.search(s)
    if m:
        b.once("backup.mentioned", _clean(s)[:120], c, (s0, s0 + len(raw.rstrip())))
    m = _SOC.search(s)
    if m:
        b.add("security.soc_services", _clean(m.group(0)), c, span(m))
    m = _BOUNDARY.search(s)
    if m:
        b.add("security.noc_soc_boundary", _clean(m.group(0)), c, span(m))
    m = _SEC_ESCALATION.search(s)
    if m:
        b.add("security.incident_escalation", _clean(m.group(0)), c, span(m))
    m = _LOG_MON.search(s)
    if m:
        f = _FREQ.search(s)
        freq = "unstated"
        if f:
            freq = "24/7" if re.match(r"24|round|contin|real", f.group(0), re.I) else f.group(0).lower()
        b.add("security.log_monitoring", freq, c, span(m))
    for role, rx in _BREACH_ROLES:
        m = rx.search(s)
        if m:
            b.add(f"security.breach_roles.{role}", _clean(s)[:160], c, span(m))
    for m in _ENDPOINT.finditer(s):
        product = (m.group("p") or "EDR").upper()
        excluded = bool(_EXCLUDED.search(s))
        b.add("security.endpoint_coverage", product, c, span(m), excluded=excluded)
        if excluded:
            b.add("security.licence_exclusions", product, c, span(m))
    m = _ESC_RULE.match(s)
    if m:
        to = m.group("to") + " " + (m.group("to2") or "")
        team = _TEAM.search(to)
        if (
            team
            and not _TEAM.search(m.group("type"))
            and re.search(
                r"alert|theft|movement|anomal|lockout|malware|phish|ransom|breach|incident|intrusion|outage|"
                r"password|compromise|virus|ddos|attack",
                m.group("type"),
                re.I,
            )
        ):
            t = team.group("t").lower()
            team_name = (
                "SOC"
                if t in ("soc", "mssp")
                else "NOC"
                if (t in ("noc", "msp") and "triage" in to.lower()) or t == "noc"
                else "Helpdesk"
                if t in ("helpdesk", "help desk", "service desk")
                else "NOC"
            )
            if t == "msp" and "helpdesk" not in to.lower() and "noc" not in to.lower():
                team_name = "NOC"
            owner = "MSSP" if team_name == "SOC" else "MSP"
            b.add(
                "security.escalation_rule",
                {
                    "incident_type": _clean(m.group("type")).lower(),
                    "team": team_name,
                    "owner": owner,
                    "action": _clean(to),
                },
                c,
                span(m),
            )
    for kind, rx in (
        ("change_approval", _CHANGE_APPROVAL),
        ("escalation_contacts", _ESC_CONTACTS),
        ("severity_matrix", _SEVERITY_MATRIX),
    ):
        m = rx.search(s)
        if m:
            within = None
            if kind == "change_approval":
                dm = _DURATION.search(s)
                if dm:
                    dv = _duration_value(dm, 8)
                    within = dv[0] if dv else None
            b.add(f"client_obligations.{kind}", within, c, span(m))
    for name, pattern in _MANDATES:
        m = re.search(pattern, s)
        if m:
            b.once("compliance_mandates", name, c, span(m))
    for rx, fld in ((_LAST_REVIEWED, "last_reviewed"), (_EFFECTIVE, "effective_date")):
        m = rx.search(s)
        if m:
            dm = _DATE.match(s, m.end())
            if dm:
                d = _parse_date(dm)
                if d:
                    b.add(fld, d, c, (at(m.start()), at(dm.end(), end=True)))


# ------------------------------------------------------------------- is it an SLA

_SLA_FIELDS = frozenset(
    {"coverage.hours", "calendar.weekly", "uptime", "service_credits", "backup.rpo", "backup.rto"}
)
_SLA_WORDS = re.compile(
    r"\bservice[- ]levels?\b|\bSLAs?\b|\bsupport\b|\bhelp ?desk\b|\bservice desk\b|\bincidents?\b"
    r"|\btickets?\b|\buptime\b|\bavailability\b|\bresponse times?\b|\bresolution\b",
    re.I,
)


def states_sla_terms(ex: Extraction) -> bool:
    """An SLA states priority targets, service hours, availability, service credits or
    recovery objectives; a licence or an invoice states none of these."""
    return any(e.field.startswith("targets.") or e.field in _SLA_FIELDS for e in ex.items)


def is_sla(ex: Extraction) -> bool:
    """The document is an SLA (or a support policy that fails to be one): it states SLA terms,
    or at least speaks of service levels, support, incidents, tickets or availability.  A
    privacy notice or a licence does neither, and has no warning signs of an SLA to list."""
    return states_sla_terms(ex) or bool(_SLA_WORDS.search(ex.document.text))


# --------------------------------------------------------------------- to_contract

_SCALAR_FIELDS = {
    "name",
    "version",
    "provider",
    "client",
    "status",
    "effective_date",
    "last_reviewed",
    "monthly_fee",
    "currency",
}


CONTRACT_PATHS: Mapping[str, str] = {
    "calendar.weekly": "calendars.business.weekly",
    "calendar.timezone": "calendars.business.timezone",
    "calendar.holidays": "calendars.business.holidays",
    "coverage.hours": "scope.helpdesk_hours",
    "backup.rpo": "backup.systems",
    "backup.rto": "backup.systems",
    "review.cadence": "reporting.cadence",
    "security.escalation_rule": "escalation_matrix",
    "security.licence_exclusions": "security.licence_exclusions",
    "document_date": "last_reviewed",
}


def contract_path(name: str) -> str:
    """The contract file's key (``Contract`` field path) of an extracted field name: the
    one mapping between this module's vocabulary and the contract model (the inverse of
    :func:`workbench.warnings.base.contract_terms`)."""
    if name in CONTRACT_PATHS:
        return CONTRACT_PATHS[name]
    if name.startswith("client_obligations."):
        return "client_obligations"
    if name.startswith("security.breach_roles."):
        return "security.breach_roles"
    return name


def _chosen(items: Iterable[Extracted]) -> Extracted | None:
    """The standard value of a field: the first without a plan variant, else the first."""
    items = list(items)
    for e in items:
        if not e.detail.get("variant") or e.detail.get("variant") == "standard":
            return e
    return items[0] if items else None


def proposed_values(ex: Extraction) -> dict[str, Any]:
    """One proposed value per field (what the user is asked to confirm)."""
    out: dict[str, Any] = {}
    by_field: dict[str, list[Extracted]] = {}
    for e in ex.items:
        by_field.setdefault(e.field, []).append(e)
    for f, items in by_field.items():
        if f in (
            "compliance_mandates",
            "reporting.kpis",
            "security.soc_services",
            "security.escalation_rule",
            "security.licence_exclusions",
            "security.endpoint_coverage",
        ):
            out[f] = list(
                dict.fromkeys(
                    e.value if not isinstance(e.value, dict) else tuple(sorted(e.value.items()))
                    for e in items
                )
            )
            if f == "security.escalation_rule":
                out[f] = [dict(v) for v in out[f]]
            continue
        if f in ("reporting.cadence", "review.cadence"):
            out[f] = list(dict.fromkeys(e.value for e in items))
            continue
        if f == "service_credits":  # the credit that says how much, else the first that names one
            items = [e for e in items if isinstance(e.value, float)] or items
        chosen = _chosen(items)
        if chosen is not None:
            out[f] = chosen.value
            if f.startswith("targets."):
                out[f + "@calendar"] = chosen.detail.get("calendar", "24x7")
    return out


def to_contract(
    extraction: Extraction,
    overrides: Mapping[str, Any] | None = None,
    *,
    name: str | None = None,
    version: str = "extracted",
) -> Contract:
    """Build a contract version from an extraction and the user's corrections.

    ``overrides`` maps field names (as in :class:`Extracted`; ``targets.P2.resolution``,
    ``calendar.timezone``, ``targets.P1.response@calendar`` …, or top-level contract
    fields such as ``name`` or ``monthly_fee``) to the value the user confirmed; a
    ``None`` value drops an extracted value the user rejected.  Priority-less targets
    (``targets.*``) fill priorities the document gives no target of their own.
    """
    v = proposed_values(extraction)
    for k, val in (overrides or {}).items():
        if val is None:
            v.pop(k, None)
        else:
            v[k] = val
    doc = extraction.document
    data: dict[str, Any] = {
        "name": v.get("name") or name or _title(doc),
        "version": v.get("version") or version,
    }
    for k in _SCALAR_FIELDS - {"name", "version"}:
        if k in v:
            data[k] = v[k]
    if "last_reviewed" not in data and "document_date" in v:
        data["last_reviewed"] = v["document_date"]

    # calendars
    weekly = v.get("calendar.weekly")
    zone = v.get("calendar.timezone")
    hol = v.get("calendar.holidays")
    if zone is None and isinstance(hol, dict) and hol.get("country") in _COUNTRY_ZONE:
        zone = _COUNTRY_ZONE[hol["country"]]
    if weekly is None and v.get("coverage.hours", "").endswith("x5"):
        weekly = {d: ["09:00-17:00"] for d in _WEEK[:5]}
    calendars: dict[str, Any] = {}
    if weekly is not None:
        cal: dict[str, Any] = {"timezone": zone or "UTC", "weekly": weekly}
        if isinstance(hol, dict) and hol.get("country"):
            cal["holidays"] = {k: x for k, x in hol.items() if x is not None}
        calendars["business"] = cal
    data["calendars"] = calendars

    # targets
    targets: dict[str, dict[str, Any]] = {}
    for p in ("P1", "P2", "P3", "P4"):
        t: dict[str, Any] = {}
        for metric in ("response", "resolution"):
            key = f"targets.{p}.{metric}"
            star = f"targets.*.{metric}"
            if key in v:
                t[metric] = v[key]
                cal_kind = v.get(key + "@calendar", "24x7")
            elif star in v and not (p == "P1" and _star_scope(extraction, metric) == "non-emergency"):
                t[metric] = v[star]
                cal_kind = v.get(star + "@calendar", "24x7")
            else:
                continue
            cal_name = "business" if cal_kind == "business" and "business" in calendars else "24x7"
            if str(t[metric]).endswith("_business_day") and cal_name == "24x7":
                if "business" not in calendars:
                    calendars["business"] = {
                        "timezone": zone or "UTC",
                        "weekly": {d: ["09:00-17:00"] for d in _WEEK[:5]},
                    }
                cal_name = "business"
            t[f"{metric}_calendar"] = cal_name
        if f"targets.{p}.compliance_target" in v:
            t["compliance_target"] = v[f"targets.{p}.compliance_target"]
        if t:
            cals = {t.get("response_calendar"), t.get("resolution_calendar")} - {None}
            if len(cals) == 1:
                t["calendar"] = cals.pop()
                t.pop("response_calendar", None)
                t.pop("resolution_calendar", None)
            targets[p] = t
    data["targets"] = targets

    if "coverage.hours" in v:
        data["scope"] = {"helpdesk_hours": v["coverage.hours"]}
    security: dict[str, Any] = {}
    if v.get("security.soc_services"):
        security["soc_services"] = list(v["security.soc_services"])
    if "security.log_monitoring" in v:
        freq = v["security.log_monitoring"]
        security["log_monitoring"] = {"frequency": None if freq == "unstated" else freq}
    if v.get("security.incident_escalation"):
        security["incident_escalation"] = [v["security.incident_escalation"]]
    roles = {k.rsplit(".", 1)[1]: str(val) for k, val in v.items() if k.startswith("security.breach_roles.")}
    if roles:
        security["breach_roles"] = roles
    if v.get("security.endpoint_coverage"):
        excl = set(v.get("security.licence_exclusions", []))
        security["endpoint_coverage"] = [
            {"product": p, "included": p not in excl, "licence_excluded": p in excl}
            for p in v["security.endpoint_coverage"]
        ]
        if excl:
            security["licence_exclusions"] = sorted(excl)
    data["security"] = security
    data["escalation_matrix"] = v.get("security.escalation_rule", [])

    backup: dict[str, Any] = {}
    if v.get("backup.rpo") and v.get("backup.rto"):
        backup["systems"] = [{"name": "all systems", "rpo": v["backup.rpo"], "rto": v["backup.rto"]}]
    if v.get("backup.restore_test_cadence"):
        backup["restore_test_cadence"] = v["backup.restore_test_cadence"]
    mon = v.get("backup.monitoring")
    if mon:
        backup["cloud_backup_monitoring"] = "cloud" in mon or None
        backup["onprem_backup_monitoring"] = "on-prem" in mon or None
    data["backup"] = {k: x for k, x in backup.items() if x is not None}
    data["reporting"] = {
        "cadence": [*v.get("reporting.cadence", []), *v.get("review.cadence", [])],
        "kpis": list(v.get("reporting.kpis", [])),
    }
    obligations = []
    for kind in ("change_approval", "escalation_contacts", "severity_matrix"):
        key = f"client_obligations.{kind}"
        if key in v or any(e.field == key for e in extraction.items):
            e = extraction.first(key)
            ob: dict[str, Any] = {"kind": kind, "text": e.quote if e else kind.replace("_", " ")}
            if v.get(key):
                ob["within"] = v[key]
            obligations.append(ob)
    data["client_obligations"] = obligations
    data["compliance_mandates"] = list(v.get("compliance_mandates", []))
    credit = v.get("service_credits")
    if credit is not None:
        pct = credit if isinstance(credit, float) and 0 < credit <= 100 else 5.0
        metric = "uptime" if "uptime" in v else "resolution"
        data["service_credits"] = [{"metric": metric, "percent_of_fee": pct}]
    if "uptime" in v:
        data["uptime"] = [{"service": "service", "target_percent": v["uptime"]}]
    data["clauses"] = [{"number": c.ref, "heading": c.heading, "text": c.text} for c in doc.clauses]
    return contract_from_data(data, doc.source)


def _star_scope(ex: Extraction, metric: str) -> str:
    e = _chosen(ex.all(f"targets.*.{metric}"))
    return str(e.detail.get("applies_to", "")) if e else ""


def _title(doc: Document) -> str:
    for c in doc.clauses:
        if c.heading:
            return c.heading
    return doc.source
