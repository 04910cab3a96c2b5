"""The whole database as one versioned JSON document, and its restore into an empty database.

Document, ``"format": "salestui"``, ``"version": 3`` (keys always in this order, ids preserved,
times as ISO 8601 UTC with ``Z``, days as ``YYYY-MM-DD``, absent values as ``null``)::

    {
      "format": "salestui",
      "version": 3,
      "settings":           [{key, value, created_at, updated_at}],
      "checklist_template": [{id, position, text, created_at, updated_at}],
      "accounts": [{
        id, name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version,
        "contacts":       [{id, name, title, role, email, phone, notes, created_at, updated_at, version}],
        "research_notes": [{id, category, body, source, created_at, updated_at, version}],
        "comparisons":    [{id, competitor, their_strengths, their_weaknesses, our_edge,
                            created_at, updated_at, version}]
      }],
      "calls": [{
        id, account_id, scheduled_at, kind, status, objective, goal, strategy, expected_return,
        started_at, ended_at, readiness_at_start, outcome, achieved, carried_from_call_id, owner,
        calendar_uid, calendar_occurrence, created_at, updated_at, version,
        "contact_ids": [contact id, ...],
        "checklist":   [{id, position, text, done, created_at, updated_at}],
        "objections":  [{id, position, text, response, raised, handling, came_up_unplanned,
                         created_at, updated_at}],
        "advances":    [{id, level, action, owner, due, secured, created_at, updated_at}],
        "questions":   [{id, position, text, kind, hope, asked, answer, created_at, updated_at}],
        "practice_runs": [{id, at, seconds, shaky, created_at, updated_at}],
        "notes":       [{id, at, text, created_at, updated_at}],
        "coaching_notes": [{id, part, part_id, text, author, done, done_at, created_at, updated_at}],
        "riders":      [{id, name, saw, saw_at, created_at, updated_at}],
        "debrief":     null | {id, went_well, do_differently, customer_feedback, lessons, next_step,
                               follow_up, rating, next_call_id, created_at, updated_at, version,
                               finished_at}
      }]
    }

Enumerated fields hold the values of ``salestui.domain.enums`` (``status``: prospect|customer,
``role``, ``category``, ``kind``, call ``status``, ``outcome``, ``achieved``, ``level``,
``handling``, a question's ``kind``). Nothing else (no export time) goes into the document, so exporting the same data
twice gives the same bytes; ``import_json`` refuses a non-empty database and restores all or nothing.
A file holding what the screens could never make (a blank name, an attendee of another account,
a finished debrief on a call still to come, an end before the start, a carry-over circle, an id
below 1, a 10 MB name, a call in the year 9999: the rules of ``salestui.domain.validation``) is
refused whole, in one line naming the first problem and its record.

A debrief's ``finished_at`` is ``null`` for a draft (saved as typed, never finished). Version 2
added it; a version 1 file still imports, every debrief in it finished at its ``updated_at``
(then, every debrief counted as debriefed). Version 3 added each call's ``questions``, its ``practice_runs`` (``shaky``: one item a line) and the
calendar event a call was imported from (``calendar_uid``, ``calendar_occurrence``, ``null`` for
a call planned in salestui); a file of version 1 or 2 imports with neither. Version 4 added each
call's ``coaching_notes`` (``part``: plan|objective|stretch|target|fallback|objection|question,
``part_id`` the objection's or question's id) and ``riders`` (colleagues riding along, ``saw``
what they saw); a file of an older version imports with none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salestui.domain.coaching import Part
from salestui.domain.enums import (
    AccountStatus,
    Achieved,
    AdvanceLevel,
    CallKind,
    CallStatus,
    ContactRole,
    Handling,
    Outcome,
    QuestionKind,
    ResearchCategory,
)
from salestui.io.report import ImportReport

if TYPE_CHECKING:
    from salestui.store.bulk import Rows
    from salestui.store.core import Store

FORMAT = "salestui"
VERSION = 4
#: The format versions this salestui reads (``parse_document`` fills in what older ones lack).
READABLE = frozenset({1, 2, 3, VERSION})

Progress = Callable[[int, int], None]


class JsonImportError(ValueError):
    """The file is not a salestui export this version can restore; the message says why."""


# Field kinds: how a value is written to and read from JSON.
_STR, _INT, _OPT_INT, _BOOL, _TIME, _OPT_TIME, _OPT_DAY = "str", "int", "int?", "bool", "time", "time?", "day?"

_STAMPS = (("created_at", _TIME), ("updated_at", _TIME))

# (JSON key == column name, kind, enum of allowed values or None), in document order.
Field = tuple[str, str, type[StrEnum] | None]


def _fields(*spec: tuple[str, str] | tuple[str, str, type[StrEnum]]) -> tuple[Field, ...]:
    return tuple((s[0], s[1], s[2] if len(s) > 2 else None) for s in spec)


SETTING = _fields(("key", _STR), ("value", _STR), *_STAMPS)
TEMPLATE = _fields(("id", _INT), ("position", _INT), ("text", _STR), *_STAMPS)
ACCOUNT = _fields(
    ("id", _INT),
    ("name", _STR),
    ("industry", _STR),
    ("status", _STR, AccountStatus),
    ("website", _STR),
    ("phone", _STR),
    ("city", _STR),
    ("notes", _STR),
    ("owner", _STR),
    *_STAMPS,
    ("version", _INT),
)
CONTACT = _fields(
    ("id", _INT),
    ("name", _STR),
    ("title", _STR),
    ("role", _STR, ContactRole),
    ("email", _STR),
    ("phone", _STR),
    ("notes", _STR),
    *_STAMPS,
    ("version", _INT),
)
RESEARCH = _fields(
    ("id", _INT), ("category", _STR, ResearchCategory), ("body", _STR), ("source", _STR), *_STAMPS, ("version", _INT)
)
COMPARISON = _fields(
    ("id", _INT),
    ("competitor", _STR),
    ("their_strengths", _STR),
    ("their_weaknesses", _STR),
    ("our_edge", _STR),
    *_STAMPS,
    ("version", _INT),
)
CALL = _fields(
    ("id", _INT),
    ("account_id", _INT),
    ("scheduled_at", _OPT_TIME),
    ("kind", _STR, CallKind),
    ("status", _STR, CallStatus),
    ("objective", _STR),
    ("goal", _STR),
    ("strategy", _STR),
    ("expected_return", _STR),
    ("started_at", _OPT_TIME),
    ("ended_at", _OPT_TIME),
    ("readiness_at_start", _OPT_INT),
    ("outcome", "str?", Outcome),
    ("achieved", "str?", Achieved),
    ("carried_from_call_id", _OPT_INT),
    ("owner", _STR),
    ("calendar_uid", "str?"),
    ("calendar_occurrence", "str?"),
    *_STAMPS,
    ("version", _INT),
)
_CALL_V2 = tuple(f for f in CALL if not f[0].startswith("calendar_"))
CHECKLIST = _fields(("id", _INT), ("position", _INT), ("text", _STR), ("done", _BOOL), *_STAMPS)
OBJECTION = _fields(
    ("id", _INT),
    ("position", _INT),
    ("text", _STR),
    ("response", _STR),
    ("raised", _BOOL),
    ("handling", _STR, Handling),
    ("came_up_unplanned", _BOOL),
    *_STAMPS,
)
ADVANCE = _fields(
    ("id", _INT),
    ("level", _STR, AdvanceLevel),
    ("action", _STR),
    ("owner", _STR),
    ("due", _OPT_DAY),
    ("secured", _BOOL),
    *_STAMPS,
)
QUESTION = _fields(
    ("id", _INT),
    ("position", _INT),
    ("text", _STR),
    ("kind", _STR, QuestionKind),
    ("hope", _STR),
    ("asked", _BOOL),
    ("answer", _STR),
    *_STAMPS,
)
NOTE = _fields(("id", _INT), ("at", _TIME), ("text", _STR), *_STAMPS)
PRACTICE = _fields(("id", _INT), ("at", _TIME), ("seconds", _INT), ("shaky", _STR), *_STAMPS)
COACHING = _fields(
    ("id", _INT),
    ("part", _STR, Part),
    ("part_id", _OPT_INT),
    ("text", _STR),
    ("author", _STR),
    ("done", _BOOL),
    ("done_at", _OPT_TIME),
    *_STAMPS,
)
RIDER = _fields(("id", _INT), ("name", _STR), ("saw", _STR), ("saw_at", _OPT_TIME), *_STAMPS)
DEBRIEF = _fields(
    ("id", _INT),
    ("went_well", _STR),
    ("do_differently", _STR),
    ("customer_feedback", _STR),
    ("lessons", _STR),
    ("next_step", _STR),
    ("follow_up", _OPT_DAY),
    ("rating", _OPT_INT),
    ("next_call_id", _OPT_INT),
    *_STAMPS,
    ("version", _INT),
    ("finished_at", _OPT_TIME),
)

_DEBRIEF_V1 = tuple(f for f in DEBRIEF if f[0] != "finished_at")

#: Columns the store derives from others: not in the document; a restore recomputes them
#: (``account.name_key`` from the name, by the column's default).
DERIVED: dict[str, frozenset[str]] = {"account": frozenset({"name_key"})}

#: Table name -> (fields in the document, parent column not written because nesting implies it).
LAYOUT: dict[str, tuple[tuple[Field, ...], str | None]] = {
    "setting": (SETTING, None),
    "checklist_template_item": (TEMPLATE, None),
    "account": (ACCOUNT, None),
    "contact": (CONTACT, "account_id"),
    "research_note": (RESEARCH, "account_id"),
    "competitor_comparison": (COMPARISON, "account_id"),
    "call": (CALL, None),
    "call_contact": ((("call_id", _INT, None), ("contact_id", _INT, None)), None),
    "checklist_item": (CHECKLIST, "call_id"),
    "objection": (OBJECTION, "call_id"),
    "advance": (ADVANCE, "call_id"),
    "question": (QUESTION, "call_id"),
    "practice_run": (PRACTICE, "call_id"),
    "call_note": (NOTE, "call_id"),
    "debrief": (DEBRIEF, "call_id"),
    "coaching_note": (COACHING, "call_id"),
    "call_rider": (RIDER, "call_id"),
}


# -- writing -----------------------------------------------------------------------------------------
def _time_out(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day_out(value: date) -> str:
    return value.isoformat()


_WRITERS: dict[str, Callable[[Any], Any]] = {_TIME: _time_out, _OPT_TIME: _time_out, _OPT_DAY: _day_out, _BOOL: bool}


def _record(row: Mapping[str, Any], fields: tuple[Field, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name, kind, _ in fields:
        value = row[name]
        writer = _WRITERS.get(kind)
        record[name] = writer(value) if writer is not None and value is not None else value
    return record


def build_document(rows: Rows, progress: Progress | None = None) -> dict[str, Any]:
    """The export document from ``bulk.dump`` rows."""

    def by_parent(table: str, parent: str) -> dict[int, list[dict[str, Any]]]:
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        fields = LAYOUT[table][0]
        for row in rows[table]:
            grouped[row[parent]].append(_record(row, fields))
        return grouped

    contacts = by_parent("contact", "account_id")
    research = by_parent("research_note", "account_id")
    comparisons = by_parent("competitor_comparison", "account_id")
    checklist = by_parent("checklist_item", "call_id")
    objections = by_parent("objection", "call_id")
    advances = by_parent("advance", "call_id")
    questions = by_parent("question", "call_id")
    practice = by_parent("practice_run", "call_id")
    notes = by_parent("call_note", "call_id")
    coached = by_parent("coaching_note", "call_id")
    riders = by_parent("call_rider", "call_id")
    attendees: dict[int, list[int]] = defaultdict(list)
    for link in rows["call_contact"]:
        attendees[link["call_id"]].append(link["contact_id"])
    debriefs = {row["call_id"]: _record(row, DEBRIEF) for row in rows["debrief"]}

    accounts = []
    for row in rows["account"]:
        record = _record(row, ACCOUNT)
        record["contacts"] = contacts.get(row["id"], [])
        record["research_notes"] = research.get(row["id"], [])
        record["comparisons"] = comparisons.get(row["id"], [])
        accounts.append(record)
    calls = []
    total = len(rows["call"])
    for number, row in enumerate(rows["call"], start=1):
        record = _record(row, CALL)
        record["contact_ids"] = sorted(attendees.get(row["id"], []))
        record["checklist"] = checklist.get(row["id"], [])
        record["objections"] = objections.get(row["id"], [])
        record["advances"] = advances.get(row["id"], [])
        record["questions"] = questions.get(row["id"], [])
        record["practice_runs"] = practice.get(row["id"], [])
        record["notes"] = notes.get(row["id"], [])
        record["debrief"] = debriefs.get(row["id"])
        record["coaching_notes"] = coached.get(row["id"], [])
        record["riders"] = riders.get(row["id"], [])
        calls.append(record)
        if progress is not None and (number % 200 == 0 or number == total):
            progress(number, total)
    return {
        "format": FORMAT,
        "version": VERSION,
        "settings": [_record(r, SETTING) for r in rows["setting"]],
        "checklist_template": [_record(r, TEMPLATE) for r in rows["checklist_template_item"]],
        "accounts": accounts,
        "calls": calls,
    }


def export_json(store: Store, progress: Progress | None = None) -> dict[str, Any]:
    """The whole database as the export document (a plain ``dict`` in document key order)."""
    from salestui.store import bulk

    return build_document(bulk.dump(store), progress)


def render(document: Mapping[str, Any], progress: Progress | None = None) -> str:
    """The document as text: two-space indent, UTF-8 kept readable, one trailing newline.

    Exactly ``json.dumps(document, ensure_ascii=False, indent=2) + "\n"``, written one record
    at a time so a progress bar can follow (indented output is the slow part of an export).
    """
    parts = ["{\n"]
    records = sum(len(v) for v in document.values() if isinstance(v, list))
    done = 0
    keys = list(document)
    for index, key in enumerate(keys):
        value = document[key]
        tail = ",\n" if index < len(keys) - 1 else "\n"
        if not (isinstance(value, list) and value):
            parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, indent=2)}{tail}")
            continue
        parts.append(f"  {json.dumps(key)}: [\n")
        for number, item in enumerate(value, start=1):
            text = json.dumps(item, ensure_ascii=False, indent=2)
            parts.append("    " + text.replace("\n", "\n    ") + (",\n" if number < len(value) else "\n"))
            done += 1
            if progress is not None and (done % 200 == 0 or done == records):
                progress(done, records)
        parts.append(f"  ]{tail}")
    parts.append("}\n")
    return "".join(parts)


def dump_json(store: Store, progress: Progress | None = None) -> str:
    """The whole database as JSON text (same data, same bytes)."""
    if progress is None:
        return render(export_json(store))
    document = export_json(store, lambda done, total: progress(done, 3 * total))
    calls = len(document["calls"])
    return render(document, lambda done, total: progress(calls + done * 2 * calls // max(total, 1), 3 * calls))


# -- reading ---------------------------------------------------------------------------------------
def _in(value: Any, kind: str, allowed: type[StrEnum] | None, where: str) -> Any:
    optional = kind.endswith("?")
    if value is None:
        if optional:
            return None
        raise JsonImportError(f"{where}: a value is required")
    base = kind.rstrip("?")
    if base == "str":
        if not isinstance(value, str):
            raise JsonImportError(f"{where}: expected text")
        if allowed is not None and value not in {e.value for e in allowed}:
            choices = ", ".join(e.value for e in allowed)
            raise JsonImportError(f"{where}: {value!r} is not one of {choices}")
        return value
    if base == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise JsonImportError(f"{where}: expected a whole number")
        return value
    if base == "bool":
        if not isinstance(value, bool):
            raise JsonImportError(f"{where}: expected true or false")
        return value
    if base == "time":
        if not isinstance(value, str):
            raise JsonImportError(f"{where}: expected a time like 2026-11-23T09:00:00Z")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise JsonImportError(f"{where}: {value!r} is not a time like 2026-11-23T09:00:00Z") from None
        if moment.tzinfo is None:
            raise JsonImportError(f"{where}: {value!r} has no time zone (end it with Z)")
        return moment.astimezone(UTC)
    if base == "day":
        if not isinstance(value, str):
            raise JsonImportError(f"{where}: expected a day like 2026-11-23")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise JsonImportError(f"{where}: {value!r} is not a day like 2026-11-23") from None
    raise AssertionError(kind)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise JsonImportError(f"{where}: expected an object")
    return value


def _list(container: Mapping[str, Any], key: str, where: str) -> list[Any]:
    if key not in container:
        raise JsonImportError(f"{where}: {key!r} is missing")
    value = container[key]
    if not isinstance(value, list):
        raise JsonImportError(f"{where}.{key}: expected a list")
    return value


def _row(value: Any, fields: tuple[Field, ...], where: str, **parent: int) -> dict[str, Any]:
    record = _object(value, where)
    row: dict[str, Any] = dict(parent)
    for name, kind, allowed in fields:
        if name not in record:
            raise JsonImportError(f"{where}: {name!r} is missing")
        row[name] = _in(record[name], kind, allowed, f"{where}.{name}")
    return row


def parse_document(document: Any) -> Rows:
    """Check a decoded document and turn it into rows for ``bulk.restore``; raises ``JsonImportError``."""
    doc = _object(document, "the document")
    if doc.get("format") != FORMAT:
        raise JsonImportError('not a salestui export (its "format" is not "salestui")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version not in READABLE:
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise JsonImportError(f"written by a newer salestui (format version {version}); upgrade salestui")
        raise JsonImportError(f"unknown format version {version!r} (this salestui reads version {VERSION})")
    debrief_fields = DEBRIEF if version >= 2 else _DEBRIEF_V1
    # Questions came with version 3: an older file has none.
    children = [("checklist", "checklist_item", CHECKLIST), ("objections", "objection", OBJECTION)]
    children += [("advances", "advance", ADVANCE)]
    children += (
        [("questions", "question", QUESTION), ("practice_runs", "practice_run", PRACTICE)] if version >= 3 else []
    )
    children += [("notes", "call_note", NOTE)]
    children += [("coaching_notes", "coaching_note", COACHING), ("riders", "call_rider", RIDER)] if version >= 4 else []
    rows: Rows = {name: [] for name in LAYOUT}
    for i, item in enumerate(_list(doc, "settings", "the document")):
        rows["setting"].append(_row(item, SETTING, f"settings[{i}]"))
    for i, item in enumerate(_list(doc, "checklist_template", "the document")):
        rows["checklist_template_item"].append(_row(item, TEMPLATE, f"checklist_template[{i}]"))
    for i, item in enumerate(_list(doc, "accounts", "the document")):
        where = f"accounts[{i}]"
        account = _row(item, ACCOUNT, where)
        rows["account"].append(account)
        nested = _object(item, where)
        for key, table, fields in (
            ("contacts", "contact", CONTACT),
            ("research_notes", "research_note", RESEARCH),
            ("comparisons", "competitor_comparison", COMPARISON),
        ):
            for j, child in enumerate(_list(nested, key, where)):
                rows[table].append(_row(child, fields, f"{where}.{key}[{j}]", account_id=account["id"]))
    for i, item in enumerate(_list(doc, "calls", "the document")):
        where = f"calls[{i}]"
        call = _row(item, CALL if version >= 3 else _CALL_V2, where)
        call.setdefault("calendar_uid", None)
        call.setdefault("calendar_occurrence", None)
        rows["call"].append(call)
        nested = _object(item, where)
        for j, contact_id in enumerate(_list(nested, "contact_ids", where)):
            rows["call_contact"].append(
                {"call_id": call["id"], "contact_id": _in(contact_id, _INT, None, f"{where}.contact_ids[{j}]")}
            )
        for key, table, fields in children:
            for j, child in enumerate(_list(nested, key, where)):
                rows[table].append(_row(child, fields, f"{where}.{key}[{j}]", call_id=call["id"]))
        if "debrief" not in nested:
            raise JsonImportError(f"{where}: 'debrief' is missing (null when there is none)")
        if nested["debrief"] is not None:
            debrief = _row(nested["debrief"], debrief_fields, f"{where}.debrief", call_id=call["id"])
            if version == 1:  # written before drafts existed: every debrief counted as finished
                debrief["finished_at"] = debrief["updated_at"]
            rows["debrief"].append(debrief)
    _check_references(rows)
    _check_values(rows)
    return rows


#: Names the screens require (and keep to one line): (table, column) -> what the rep calls it.
_NAMES = {
    ("account", "name"): "the account name",
    ("contact", "name"): "the contact's name",
    ("competitor_comparison", "competitor"): "the competitor's name",
}
#: Columns holding another record's id (besides each record's own ``id``).
_REFERENCES = ("account_id", "call_id", "contact_id", "carried_from_call_id", "next_call_id", "part_id")


def _label(table: str, row: Mapping[str, Any]) -> str:
    """How a problem names its record: ``call 12``, ``contact 4 of account 2``, ``debrief of call 7``."""
    if table == "setting":
        return f"setting {row['key']!r}"
    if table == "call_contact":
        return f"call {row['call_id']}"
    if table == "debrief":
        return f"debrief of call {row['call_id']}"
    for parent in ("account_id", "call_id"):
        if parent in row and table not in ("call",):
            return f"{table.replace('_', ' ')} {row.get('id')} of {parent.removesuffix('_id')} {row[parent]}"
    return f"{table.replace('_', ' ')} {row.get('id')}"


def _check_values(rows: Rows) -> None:
    """The rules the screens enforce (``domain.validation``), so a file cannot bring in what a rep
    could never type; the first problem refuses the whole file, naming its record."""
    from salestui.domain import validation as rule
    from salestui.domain.clock import now

    def refuse(table: str, row: Mapping[str, Any], problem: str | None) -> None:
        if problem is not None:
            raise JsonImportError(f"{_label(table, row)}: {problem}")

    for table, records in rows.items():
        fields = {name: kind for name, kind, _ in LAYOUT[table][0]}
        for row in records:
            for column in ("id", *_REFERENCES):
                if isinstance(row.get(column), int):
                    refuse(table, row, rule.record_id(row[column], column.replace("_", " ").replace(" id", "")))
            for column, value in row.items():
                if isinstance(value, str):
                    name = _NAMES.get((table, column))
                    if name is not None:
                        refuse(table, row, rule.required(value, name.capitalize()))
                    limit = rule.NAME_MAX if name is not None else rule.TEXT_MAX
                    refuse(table, row, rule.too_long(value, name or column.replace("_", " "), limit))
                elif isinstance(value, date) and fields.get(column) in (_TIME, _OPT_TIME, _OPT_DAY):
                    refuse(table, row, rule.moment(value, column.replace("_", " ")))
    moment = now()
    contacts = {r["id"]: r["account_id"] for r in rows["contact"]}
    calls = {r["id"]: r for r in rows["call"]}
    for call in rows["call"]:
        refuse("call", call, rule.in_range(call["readiness_at_start"], rule.READINESS, "readiness"))
        refuse("call", call, rule.call_span(call["started_at"], call["ended_at"]))
    for link in rows["call_contact"]:
        call = calls[link["call_id"]]
        refuse(
            "call_contact",
            link,
            rule.attendee(call["account_id"], contacts.get(link["contact_id"]), link["contact_id"]),
        )
    cycle = rule.carry_cycle({r["id"]: r["carried_from_call_id"] for r in rows["call"]})
    if cycle is not None and len(cycle) == 2:
        raise JsonImportError(f"call {cycle[0]}: carried over from itself")
    if cycle is not None:
        chain = " -> ".join(str(c) for c in cycle)
        raise JsonImportError(f"call {cycle[0]}: its plan is carried over in a circle ({chain})")
    for debrief in rows["debrief"]:
        refuse("debrief", debrief, rule.in_range(debrief["rating"], rule.RATING, "rating"))
        if debrief["next_call_id"] == debrief["call_id"]:
            refuse("debrief", debrief, "its next call is the call itself")
        debriefed = calls.get(debrief["call_id"])
        if debriefed is not None and debrief.get("finished_at") is not None:
            status = CallStatus(debriefed["status"])
            outcome = Outcome(debriefed["outcome"]) if debriefed["outcome"] is not None else None
            refuse(
                "call",
                debriefed,
                rule.finished_debrief(debriefed["scheduled_at"], status, outcome, debriefed["started_at"], moment),
            )


def _check_references(rows: Rows) -> None:
    """Duplicate ids and links to records that are not in the file, named before the database sees them."""
    for table in rows:
        if table == "setting":
            keys = [r["key"] for r in rows[table]]
            what = "setting key"
        elif table == "call_contact":
            keys = [(r["call_id"], r["contact_id"]) for r in rows[table]]
            what = "call contact"
        else:
            keys = [r["id"] for r in rows[table]]
            what = f"{table.replace('_', ' ')} id"
        seen: set[Any] = set()
        for key in keys:
            if key in seen:
                raise JsonImportError(f"{what} {key} appears twice")
            seen.add(key)
    accounts = {r["id"] for r in rows["account"]}
    contacts = {r["id"]: r["account_id"] for r in rows["contact"]}
    calls = {r["id"] for r in rows["call"]}
    for call in rows["call"]:
        if call["account_id"] not in accounts:
            raise JsonImportError(f"call {call['id']}: account {call['account_id']} is not in the file")
        carried = call["carried_from_call_id"]
        if carried is not None and carried not in calls:
            raise JsonImportError(f"call {call['id']}: carried from call {carried}, which is not in the file")
    for link in rows["call_contact"]:
        if link["contact_id"] not in contacts:
            raise JsonImportError(f"call {link['call_id']}: contact {link['contact_id']} is not in the file")
    for debrief in rows["debrief"]:
        target = debrief["next_call_id"]
        if target is not None and target not in calls:
            raise JsonImportError(f"debrief of call {debrief['call_id']}: next call {target} is not in the file")
    secured: set[int] = set()
    for advance in rows["advance"]:
        if advance["secured"]:
            if advance["call_id"] in secured:
                raise JsonImportError(f"call {advance['call_id']}: more than one secured advance")
            secured.add(advance["call_id"])


def read_document(path: Path) -> Rows:
    """Read and check an export file; raises ``JsonImportError`` (or ``OSError`` if unreadable)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JsonImportError("not UTF-8 text: is it really a salestui JSON export?") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as problem:
        raise JsonImportError(
            f"not valid JSON ({problem.msg} at line {problem.lineno}, column {problem.colno})"
        ) from None
    except RecursionError:
        raise JsonImportError("nested too deeply to be a salestui export (brackets inside brackets)") from None
    return parse_document(document)


def import_json(store: Store, path: Path | str, progress: Progress | None = None) -> ImportReport:
    """Restore an export into an EMPTY database, in one transaction (all or nothing).

    Raises ``JsonImportError`` for a file that is not a valid export, ``bulk.NotEmpty`` (a
    ``ValueError``) for a database that already holds data, ``StoreError`` for database failures.
    """
    from salestui.store import bulk

    rows = read_document(Path(path))
    written = bulk.restore(store, rows, progress)
    return ImportReport(created=written)
