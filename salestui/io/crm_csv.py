"""Import accounts and contacts from the CSV exports of the usual CRMs (no Textual, no SQL here).

Headers are recognised case- and spacing-insensitively in the styles of Salesforce, HubSpot,
Pipedrive and Zoho; ``overrides`` (``--map column=field``) win. The file is read as UTF-8 (with
or without BOM; UTF-16 with a BOM; Windows-1252 as a last resort), the delimiter is sniffed
(comma, semicolon, tab), quoted delimiters and line breaks inside cells work. Rows that cannot be
imported are reported with their line number; the good ones are written through the store in
one transaction, so a crash leaves nothing half-written.

The file is streamed: rows are parsed and written in batches, never held all at once. A file
that is broken as a whole (a quote that is never closed, a cell over ``FIELD_LIMIT``) raises
:class:`CsvError` naming the line, and the transaction is rolled back: nothing is imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from salestui.io.report import ImportReport
from salestui.text import entered

if TYPE_CHECKING:
    from salestui.store.accounts import ContactRecord
    from salestui.store.core import Store


class CsvError(ValueError):
    """The file as a whole cannot be imported (no header, no name column, bad --map)."""


class CsvImportReport(ImportReport):
    """The report of a CSV import (its ``notes`` say how the file was read)."""


# Normalised header (lower case, letters and digits only) -> field, in order of preference:
# when two columns feed one field (Phone and Mobile), the first alias listed wins.
ACCOUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "accountname",
        "companyname",
        "organizationname",
        "organisationname",
        "company",
        "organization",
        "organisation",
        "account",
        "name",
        "businessname",
        "customername",
    ),
    "industry": ("industry", "accountindustry", "companyindustry", "sector", "vertical"),
    "status": ("status", "type", "accounttype", "companytype", "lifecyclestage", "customertype", "relationship"),
    "website": ("website", "companydomainname", "domain", "websiteurl", "companywebsite", "url", "web"),
    "phone": ("phone", "phonenumber", "companyphone", "mainphone", "businessphone", "telephone", "tel", "officephone"),
    "city": ("city", "billingcity", "shippingcity", "citytown", "town", "locality", "addresscity"),
    "notes": ("description", "notes", "note", "about", "companydescription", "accountdescription"),
}

CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("fullname", "name", "contactname", "personname", "displayname"),
    "first_name": ("firstname", "givenname", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "title": ("title", "jobtitle", "position", "designation", "jobposition"),
    "role": ("roleindecision", "buyingrole", "decisionrole", "contactrole", "role"),
    "email": (
        "email",
        "emailaddress",
        "workemail",
        "emailwork",
        "businessemail",
        "primaryemail",
        "email1",
        "emailhome",
        "emailother",
        "secondaryemail",
        "email2",
        "homeemail",
        "personalemail",
        "otheremail",
    ),
    "phone": (
        "phone",
        "phonenumber",
        "workphone",
        "phonework",
        "businessphone",
        "directphone",
        "officephone",
        "telephone",
        "mobile",
        "mobilephone",
        "mobilephonenumber",
        "phonemobile",
        "cellphone",
    ),
    "account": (
        "accountname",
        "companyname",
        "company",
        "account",
        "organization",
        "organisation",
        "organizationname",
        "organisationname",
        "associatedcompany",
        "employer",
    ),
    "notes": ("description", "notes", "note", "about"),
}

IGNORE = {"", "-", "ignore", "skip", "none"}

_ROLE_WORDS = {
    "decision_maker": (
        "decisionmaker",
        "dm",
        "economicbuyer",
        "decider",
        "budgetholder",
        "executivesponsor",
        "approver",
    ),
    "influencer": ("influencer", "evaluator", "recommender", "influence"),
    "user": ("user", "enduser", "users"),
    "technical": ("technical", "technicalbuyer", "technicalevaluator", "it", "tech"),
    "champion": ("champion", "coach", "sponsor", "internalchampion"),
    "other": ("other",),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise(header: str) -> str:
    """``" Account Name "`` -> ``accountname``: letters and digits only, lower case."""
    return re.sub(r"[\W_]+", "", header.casefold())


def import_accounts_csv(store: Store, path: Path, overrides: Mapping[str, str] | None = None) -> CsvImportReport:
    """Create or update accounts from a CRM export; re-importing the same file duplicates nothing.

    A re-import keeps the fields the rep changed since the last import (``report.kept``).
    """
    with open_table(path) as table:
        columns = map_columns(table.header, ACCOUNT_ALIASES, overrides or {})
        if "name" not in columns:
            raise CsvError(_no_column("account name", "name", table.header))
        report = CsvImportReport(notes=list(table.notes))

        def records() -> Iterator[tuple[int, dict[str, str]]]:
            for line, _cells, values in _rows(table, columns, report):
                if not values.get("name"):
                    report.skipped.append((line, "no account name"))
                    continue
                if "status" in values:
                    status = account_status(values["status"])
                    if status is None:
                        values.pop("status")
                    else:
                        values["status"] = status
                yield line, values

        done = store.accounts.import_accounts(records())
    report.count(done.results)
    report.keep([(line, f"{name}: kept your {', '.join(fields)}", len(fields)) for line, name, fields in done.kept])
    return report


def import_contacts_csv(store: Store, path: Path, overrides: Mapping[str, str] | None = None) -> CsvImportReport:
    """Create or update contacts (linked to their company's account) from a CRM export.

    Every email column counts (work, home, other): the contact is matched by any of them and
    keeps them all (see ``AccountRepo.import_contacts``, shared with the vCard import).
    """
    with open_table(path) as table:
        columns = map_columns(table.header, CONTACT_ALIASES, overrides or {})
        if not ({"name", "first_name", "last_name"} & columns.keys()):
            raise CsvError(_no_column("contact name", "name", table.header))
        if "account" not in columns:
            raise CsvError(_no_column("company/account", "account", table.header))
        report = CsvImportReport(notes=list(table.notes))

        def records() -> Iterator[ContactRecord]:
            for line, cells, values in _rows(table, columns, report):
                record = _contact(line, cells, values, columns, report)
                if record is not None:
                    yield record

        results, report.accounts_created = store.accounts.import_contacts(records())
    report.count(results)
    return report


def _contact(
    line: int, cells: Sequence[str], values: dict[str, str], columns: Mapping[str, list[int]], report: ImportReport
) -> ContactRecord | None:
    """One row as a contact record, or ``None`` (with the reason in ``report.skipped``)."""
    from salestui.store.accounts import ContactRecord

    emails = _all_values(cells, columns.get("email", []))
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    if not values.get("name"):
        values["name"] = " ".join(part for part in (first, last) if part)
    if not values["name"]:
        report.skipped.append((line, "no contact name"))
        return None
    if not values.get("account"):
        report.skipped.append((line, f"{values['name']}: no company/account"))
        return None
    if emails and not _EMAIL.match(emails[0]):
        report.skipped.append((line, f"{values['name']}: {emails[0]!r} is not an email address"))
        return None
    emails = [email for email in emails if _EMAIL.match(email)]  # a stray second column is dropped
    if "role" in values:
        role = contact_role(values["role"])
        if role is None:
            # A free-text role ("CFO") is a job title, not a role in the decision.
            raw = values.pop("role")
            values.setdefault("title", raw)
        else:
            values["role"] = role
    values.pop("email", None)
    return ContactRecord(line=line, fields=values, emails=tuple(emails))


def account_status(value: str) -> str | None:
    """CRM account type / lifecycle stage -> ``customer`` or ``prospect`` (``None`` if unclear)."""
    word = normalise(value)
    if any(part in word for part in ("customer", "client", "closedwon")):
        return "customer"
    if any(part in word for part in ("prospect", "lead", "opportunit", "subscriber", "mql", "sql", "partner")):
        return "prospect"
    return None


def contact_role(value: str) -> str | None:
    """A role in the buying decision from the usual words (``None`` if it is something else)."""
    word = normalise(value)
    for role, words in _ROLE_WORDS.items():
        if word in words:
            return role
    return None


# -- reading -----------------------------------------------------------------------------------
#: The largest cell read (Python's csv module stops at 128 KiB by default): long CRM descriptions
#: fit; anything larger is almost always a quote that is never closed, and is refused.
FIELD_LIMIT = 16 * 1024 * 1024

_SNIFF_CHARS = 64_000


@dataclass
class Table:
    """A CSV file being read: its header, then its rows (line number, cells) as they are parsed."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Decode, sniff the delimiter and parse as the rows are asked for; rows carry the line they start on.

    Raises :class:`CsvError` for an empty file and, while the rows are read, for a file broken as
    a whole (a quote never closed, a cell over ``FIELD_LIMIT``).
    """
    encoding, notes = detect_encoding(Path(path))
    errors = "replace" if notes else "strict"
    with Path(path).open(encoding=encoding, errors=errors, newline="") as handle:
        delimiter = sniff_delimiter(handle.read(_SNIFF_CHARS))
        handle.seek(0)
        records = _records(handle, delimiter)
        header: list[str] | None = None
        for _line, cells in records:
            if any(cell.strip() for cell in cells):
                header = [cell.strip() for cell in cells]
                break
        if header is None:
            raise CsvError(f"{path} is empty: expected a header line and rows")
        rows = ((line, cells) for line, cells in records if any(cell.strip() for cell in cells))
        yield Table(header, rows, notes)


def detect_encoding(path: Path) -> tuple[str, list[str]]:
    """UTF-8 with or without BOM; UTF-16 with BOM; else Windows-1252 (with a note saying so).

    Checked in chunks, so a large file is never read into memory whole.
    """
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16", []
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252", ["the file is not UTF-8; read it as Windows-1252"]
    return "utf-8-sig", []


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first rows into the most, consistent columns."""
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            with _field_limit():
                rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:20]
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            continue
        width = len(rows[0])
        # Drop the last row: the sample may cut it short.
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        consistent = sum(1 for r in body if len(r) == width)
        score = (width if width > 1 else 0, consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@contextmanager
def _field_limit() -> Iterator[None]:
    """Python's csv cell limit raised to ``FIELD_LIMIT`` while reading (it is process-wide)."""
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Parsed records with the (1-based) line each starts on, quoted line breaks included.

    Raises :class:`CsvError` when the file ends inside a quoted cell (csv would silently make
    the rest of the file one cell) or a cell is larger than ``FIELD_LIMIT``.
    """
    current: list[str] = []  # the lines of the record being parsed

    def feed() -> Iterator[str]:
        for line in lines:
            current.append(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    start = last_start = 1
    last: list[str] = []
    with _field_limit():
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise CsvError(_broken(start, error)) from None
            last, last_start = list(current), start
            current.clear()
            yield start, cells
            start = reader.line_num + 1
        if last and _ends_inside_quotes(last, delimiter):
            raise CsvError(
                f"line {last_start}: a quote opened on this line is never closed, so the rest of the file "
                "would become one cell"
            )


def _ends_inside_quotes(lines: list[str], delimiter: str) -> bool:
    """Whether the last record stops at the end of the file inside a quoted cell."""
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _broken(line: int, error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"line {line}: a cell is larger than {_size(FIELD_LIMIT)} (a quote that is never closed?)"
    return f"line {line}: the file cannot be read as CSV ({error})"


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count // 1024} KiB"


# -- mapping -----------------------------------------------------------------------------------
def map_columns(
    header: Sequence[str], aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str]
) -> dict[str, list[int]]:
    """Field -> column indexes (best first) from the header, the aliases and the overrides."""
    by_alias = {alias: (fieldname, rank) for fieldname, names in aliases.items() for rank, alias in enumerate(names)}
    normalised = [normalise(h) for h in header]
    chosen: dict[int, tuple[str, int]] = {}
    for index, name in enumerate(normalised):
        for candidate in _candidates(header[index], name):
            if candidate in by_alias:
                chosen[index] = by_alias[candidate]
                break
    for column, fieldname in overrides.items():
        wanted = normalise(column)
        matches = [i for i, name in enumerate(normalised) if name == wanted]
        if not matches:
            raise CsvError(f"--map: no column named {column!r} (columns: {', '.join(header)})")
        target = fieldname.strip().lower()
        if target in IGNORE:
            for i in matches:
                chosen.pop(i, None)
            continue
        if target not in aliases:
            raise CsvError(f"--map: unknown field {fieldname!r}; fields are {', '.join(aliases)} (or 'ignore')")
        for i in matches:
            chosen[i] = (target, -1)  # an override beats every alias
    columns: dict[str, list[tuple[int, int]]] = {}
    for index, (fieldname, rank) in chosen.items():
        columns.setdefault(fieldname, []).append((rank, index))
    return {name: [index for _, index in sorted(ranked)] for name, ranked in columns.items()}


def _candidates(header: str, name: str) -> list[str]:
    """``Person - Email - Work`` (Pipedrive) -> personemailwork, emailwork, work, email."""
    out = [name]
    parts = [normalise(p) for p in re.split(r"\s+-\s+|:", header) if normalise(p)]
    if len(parts) > 1:
        out += ["".join(parts[i:]) for i in range(1, len(parts))]
        out.append(parts[1])
    return out


def _rows(
    table: Table, columns: Mapping[str, list[int]], report: ImportReport
) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """(line, cells, field values) of the rows that fit the header; the others go to ``report.skipped``."""
    for line, cells in table.rows:
        problem = _shape_problem(cells, table.header)
        if problem:
            report.skipped.append((line, problem))
            continue
        yield line, cells, _values(cells, columns)


def _values(cells: Sequence[str], columns: Mapping[str, list[int]]) -> dict[str, str]:
    """Each field's value: its best column that is not empty."""
    values: dict[str, str] = {}
    for fieldname, indexes in columns.items():
        found = _all_values(cells, indexes)
        if found:
            values[fieldname] = found[0]
    return values


def _all_values(cells: Sequence[str], indexes: Sequence[int]) -> list[str]:
    """The non-empty cells of these columns, best first, control characters removed (line breaks kept)."""
    values = (entered(cells[index], lines=True).strip() for index in indexes if index < len(cells))
    return [value for value in values if value]


def _shape_problem(cells: Sequence[str], header: Sequence[str]) -> str | None:
    extra = [c for c in cells[len(header) :] if c.strip()]
    if extra:
        return f"{len(cells)} cells but the header has {len(header)} columns (a stray delimiter or quote?)"
    return None


def _no_column(what: str, fieldname: str, header: Sequence[str]) -> str:
    shown = ", ".join(repr(h) for h in header) or "none"
    return f"no column for the {what} (columns: {shown}); name it with --map 'Your column={fieldname}'"
