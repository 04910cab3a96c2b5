"""Contacts from vCard files (2.1, 3.0 and 4.0), as phones, Outlook, Google and Apple export them.

A small parser rather than a dependency: we read a handful of properties, and the quirks that
matter are few and well specified (RFC 6350 §3.2 folding, §3.4 escaping, RFC 2045 quoted-printable
in 2.1/3.0 exports, ``item1.EMAIL`` groups, ``TYPE=pref`` / ``PREF=1``).

Each card becomes a contact under the account named by its ``ORG`` (created when missing).
Re-importing matches an existing contact by any of the card's email addresses, else by name
within the account, and updates it instead of adding a copy.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from salestui.io.report import ImportReport
from salestui.text import entered

if TYPE_CHECKING:
    from salestui.store.core import Store


class VCardError(ValueError):
    """The file is not a vCard file at all."""


@dataclass
class Property:
    """One content line: its name (upper case, group dropped), parameters and raw value."""

    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def types(self) -> set[str]:
        """TYPE values in lower case, with 2.1's bare parameters (``TEL;WORK;PREF:``) included."""
        found = {v.lower() for v in self.params.get("TYPE", [])}
        found |= {k.lower() for k, v in self.params.items() if not v and k != "TYPE"}
        return found

    def preference(self) -> int:
        """Lower is more preferred: ``PREF=1`` (v4), ``TYPE=pref`` (v3), else last."""
        pref = self.params.get("PREF")
        if pref and pref[0].isdigit():
            return int(pref[0])
        return 1 if "pref" in self.types() else 101


@dataclass
class Card:
    """The properties of one vCard that a contact needs."""

    line: int
    version: str = ""
    fn: str = ""
    n: list[str] = field(default_factory=list)
    org: str = ""
    title: str = ""
    role: str = ""
    note: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    unterminated: bool = False
    """The file ended inside this card (no ``END:VCARD``): it holds what the file had."""

    @property
    def name(self) -> str:
        """FN, else the name assembled from N (prefix given additional family suffix)."""
        if self.fn.strip():
            return " ".join(self.fn.split())
        family, given, additional, prefix, suffix = (self.n + [""] * 5)[:5]
        return " ".join(" ".join(p for p in (prefix, given, additional, family, suffix) if p.strip()).split())


# -- reading the text ----------------------------------------------------------------------------
def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (old Outlook exports)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_QP = re.compile(r"ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]", re.IGNORECASE)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold: a line starting with a space or tab continues the previous one (its first
    character dropped); a quoted-printable line ending in ``=`` continues on the next line."""
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: str | None = None
    start = 0
    for number, line in enumerate(physical, start=1):
        if current is not None and current.endswith("=") and _QP.search(current.split(":", 1)[0] + ":"):
            current = current[:-1] + line  # quoted-printable soft line break: the next line as it is
            continue
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def parse_line(line: str, number: int) -> Property | None:
    """``item1.EMAIL;TYPE="work,pref":a@b`` -> Property; ``None`` for a line with no colon."""
    quoted = False
    colon = -1
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = index
            break
    if colon < 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    parts = _split_unquoted(head, ";")
    name = parts[0].strip().upper().rsplit(".", 1)[-1]
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        key = key.strip().upper()
        values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")] if sep else []
        params.setdefault(key, []).extend(v for v in values if v)
    return Property(name=name, params=params, value=value, line=number)


def _split_unquoted(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _raw_value(prop: Property) -> str:
    """The value with quoted-printable decoded (in its CHARSET, UTF-8 by default) and control
    characters removed (line breaks kept: a quoted-printable NOTE may hold them)."""
    encoding = [e.upper() for e in prop.params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in encoding or "QUOTED-PRINTABLE" in prop.params:
        charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
        data = quopri.decodestring(prop.value.encode("latin-1", errors="replace"))
        try:
            value = data.decode(charset, errors="replace")
        except LookupError:
            value = data.decode("utf-8", errors="replace")
        return entered(value, lines=True)
    return entered(prop.value, lines=True)


def unescape(text: str) -> str:
    """RFC 6350 text escapes: ``\\n`` newline, ``\\,`` ``\\;`` ``\\\\`` literally."""
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        out.append("\n" if following in ("n", "N") else following)
    return "".join(out)


def components(text: str) -> list[str]:
    """A structured value (N, ORG) split on unescaped semicolons, each part unescaped."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(char + next(chars, ""))
        elif char == ";":
            parts.append(unescape("".join(current)).strip())
            current = []
        else:
            current.append(char)
    parts.append(unescape("".join(current)).strip())
    return parts


_URI_SCHEMES = {"EMAIL": "mailto:", "TEL": "tel:"}


def parse_cards(text: str) -> list[Card]:
    """Every BEGIN:VCARD … END:VCARD block of ``text``, and a last card the file ends inside
    (marked ``unterminated``); raises ``VCardError`` if there is none."""
    cards: list[Card] = []
    card: Card | None = None
    emails: list[Property] = []
    phones: list[Property] = []
    depth = 0
    for number, line in logical_lines(text):
        if not line.strip():
            continue
        prop = parse_line(line, number)
        if prop is None:
            continue
        value = prop.value.strip().upper()
        if prop.name == "BEGIN" and value == "VCARD":
            depth += 1
            if depth == 1:
                card, emails, phones = Card(line=number), [], []
            continue
        if prop.name == "END" and value == "VCARD":
            depth = max(0, depth - 1)
            if depth == 0 and card is not None:
                card.emails = _ordered(emails)
                card.phones = _ordered(phones)
                cards.append(card)
                card = None
            continue
        if card is None or depth != 1:  # outside a card, or inside an embedded (AGENT) card
            continue
        raw = _raw_value(prop)
        if prop.name == "VERSION":
            card.version = raw.strip()
        elif prop.name == "FN":
            card.fn = unescape(raw).strip()
        elif prop.name == "N":
            card.n = components(raw)
        elif prop.name == "ORG":
            card.org = " ".join(components(raw)[0].split())
        elif prop.name == "TITLE":
            card.title = " ".join(unescape(raw).split())
        elif prop.name == "ROLE":
            card.role = " ".join(unescape(raw).split())
        elif prop.name == "NOTE":
            note = unescape(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
            card.note = (card.note + "\n" + note).strip()
        elif prop.name in _URI_SCHEMES:
            value = unescape(raw).strip()
            scheme = _URI_SCHEMES[prop.name]
            if value.lower().startswith(scheme):  # 4.0 may write mailto: and tel: URIs
                value = value[len(scheme) :]
            if value:
                (emails if prop.name == "EMAIL" else phones).append(Property(prop.name, prop.params, value, prop.line))
    if card is not None:  # the file ends inside a card: keep what it has, and say so
        card.emails, card.phones, card.unterminated = _ordered(emails), _ordered(phones), True
        cards.append(card)
    if not cards:
        raise VCardError("no vCard found (a vCard file has BEGIN:VCARD … END:VCARD blocks)")
    return cards


def _ordered(props: list[Property]) -> list[str]:
    """Values, the preferred first (stable otherwise), without repeats."""
    ranked = sorted(enumerate(props), key=lambda pair: (pair[1].preference(), pair[0]))
    seen: set[str] = set()
    values = []
    for _, prop in ranked:
        key = prop.value.lower()
        if key not in seen:
            seen.add(key)
            values.append(prop.value)
    return values


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def card_record(card: Card) -> tuple[dict[str, str], list[str]] | str:
    """The contact fields of a card and all its email addresses (the preferred first), or why it
    is skipped. The addresses beyond the first go into the contact's notes in the store."""
    name = card.name
    if not name:
        return "no name (neither FN nor N)"
    if not card.org:
        return f"{name}: no organisation (ORG), so no account to file the contact under"
    emails = [e for e in card.emails if _EMAIL.match(e)]
    notes = [card.note] if card.note else []
    if len(card.phones) > 1:
        notes.append("Other phone numbers: " + ", ".join(card.phones[1:]))
    record = {
        "name": name,
        "account": card.org,
        "title": card.title or card.role,
        "phone": card.phones[0] if card.phones else "",
        "notes": "\n".join(notes),
    }
    return record, emails


def import_contacts_vcf(
    store: Store, path: Path | str, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Import the contacts of a .vcf file in one transaction; re-importing duplicates nothing.

    Matching and merging are those of every contact import (``AccountRepo.import_contacts``).
    Raises ``VCardError`` (a ``ValueError``) for a file with no vCard, ``OSError`` if unreadable.
    """
    from salestui.store.accounts import ContactRecord

    cards = parse_cards(decode(Path(path).read_bytes()))
    report = ImportReport()
    records: list[ContactRecord] = []
    for card in cards:
        if card.unterminated:
            report.notes.append(
                f"line {card.line}: the last card has no END:VCARD (the file may be cut short); imported what it holds"
            )
        result = card_record(card)
        if isinstance(result, str):
            report.skipped.append((card.line, result))
            continue
        fields, emails = result
        records.append(ContactRecord(line=card.line, fields=fields, emails=tuple(emails)))
    results, report.accounts_created = store.accounts.import_contacts(records, progress)
    report.count(results)
    report.skipped.sort()
    return report
