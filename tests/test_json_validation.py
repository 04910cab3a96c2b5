"""Issue 30, item 14: a JSON import is held to the rules of the screens (domain.validation), all or nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from salestui.cli import main
from salestui.domain import validation as rule
from salestui.domain.enums import CallStatus, Outcome
from salestui.io.json_io import JsonImportError, export_json, parse_document
from salestui.store.accounts import InvalidInput
from salestui.store.core import open_store

Doc = dict[str, Any]


@pytest.fixture
def document(demo_store) -> Doc:  # type: ignore[no-untyped-def]
    return export_json(demo_store)


def _two_accounts_with_contacts(doc: Doc) -> tuple[Doc, Doc]:
    with_contacts = [a for a in doc["accounts"] if a["contacts"]]
    return with_contacts[0], with_contacts[1]


def _future_planned_call(doc: Doc) -> Doc:
    future = datetime(2030, 1, 1, tzinfo=UTC).isoformat().replace("+00:00", "Z")
    call = next(c for c in doc["calls"] if c["debrief"] is None)
    call.update(scheduled_at=future, status="planned", outcome=None, achieved=None, started_at=None, ended_at=None)
    return call


def attendee_of_another_account(doc: Doc) -> str:
    first, second = _two_accounts_with_contacts(doc)
    call = next(c for c in doc["calls"] if c["account_id"] == first["id"])
    call["contact_ids"] = sorted({*call["contact_ids"], second["contacts"][0]["id"]})
    return f"contact {second['contacts'][0]['id']} attends, but belongs to account {second['id']}"


def finished_debrief_on_a_future_call(doc: Doc) -> str:
    call = _future_planned_call(doc)
    donor = next(c for c in doc["calls"] if c["debrief"] is not None and c["debrief"]["finished_at"])
    debrief = copy.deepcopy(donor["debrief"])
    debrief["id"] = max(c["debrief"]["id"] for c in doc["calls"] if c["debrief"]) + 1
    debrief["next_call_id"] = None
    call["debrief"] = debrief
    return f"call {call['id']}: it has a finished debrief, but the call is still to come on 2030-01-01"


def end_before_start(doc: Doc) -> str:
    call = next(c for c in doc["calls"] if c["started_at"] and c["ended_at"])
    call["ended_at"], call["started_at"] = call["started_at"], call["ended_at"]
    return f"call {call['id']}: it ends ("


def blank_name(doc: Doc) -> str:
    doc["accounts"][1]["name"] = "   "
    return f"account {doc['accounts'][1]['id']}: The account name cannot be empty"


def blank_contact_name(doc: Doc) -> str:
    account = next(a for a in doc["accounts"] if a["contacts"])
    account["contacts"][0]["name"] = "\x00\x07\t "
    return f"contact {account['contacts'][0]['id']} of account {account['id']}: The contact's name cannot be empty"


def carry_over_cycle(doc: Doc) -> str:
    first, second = doc["calls"][0], doc["calls"][1]
    first["carried_from_call_id"], second["carried_from_call_id"] = second["id"], first["id"]
    low = min(first["id"], second["id"])
    return f"call {low}: its plan is carried over in a circle"


def negative_id(doc: Doc) -> str:
    account = doc["accounts"][0]
    old = account["id"]
    account["id"] = -7
    for call in doc["calls"]:
        if call["account_id"] == old:
            call["account_id"] = -7
    return "account -7: id -7 is not a record id"


def ten_megabyte_name(doc: Doc) -> str:
    doc["accounts"][0]["name"] = "A" * 10_000_000
    return f"account {doc['accounts'][0]['id']}: the account name is 10,000,000 characters long (at most 500)"


def year_9999_call(doc: Doc) -> str:
    doc["calls"][0]["scheduled_at"] = "9999-12-31T10:00:00Z"
    return f"call {doc['calls'][0]['id']}: scheduled at 9999-12-31 is outside the years 1900-2199"


CASES: list[Callable[[Doc], str]] = [
    attendee_of_another_account,
    finished_debrief_on_a_future_call,
    end_before_start,
    blank_name,
    blank_contact_name,
    carry_over_cycle,
    negative_id,
    ten_megabyte_name,
    year_9999_call,
]


@pytest.mark.parametrize("break_it", CASES, ids=[case.__name__ for case in CASES])
def test_the_file_is_refused_in_one_line_naming_the_first_problem(document, break_it):
    expected = break_it(document)
    with pytest.raises(JsonImportError) as refused:
        parse_document(document)
    message = str(refused.value)
    assert expected in message, message
    assert "\n" not in message and len(message) < 300


@pytest.mark.parametrize("break_it", [blank_name, carry_over_cycle, year_9999_call], ids=lambda f: f.__name__)
def test_the_import_command_refuses_the_whole_file_and_writes_nothing(document, tmp_path, capsys, break_it):
    break_it(document)
    file = tmp_path / "broken.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "empty.db"
    open_store(target, owner="tester").close()
    code = main(["import", "json", str(file), "--db", str(target)])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    store = open_store(target, owner="tester")
    try:
        assert store.accounts.count() == 0
    finally:
        store.close()


def test_an_untouched_export_still_imports(document, tmp_path):
    file = tmp_path / "good.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    rows = parse_document(json.loads(file.read_text(encoding="utf-8")))
    assert len(rows["call"]) == len(document["calls"])


def test_the_ui_and_the_import_share_one_rule_for_required_names(store):
    assert rule.required("  \x00\x1b ", "The account name") == "The account name cannot be empty"
    with pytest.raises(InvalidInput, match="The account name cannot be empty"):
        store.accounts.create("  \x00\x1b ")


def test_the_rules_themselves():
    moment = datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert rule.carry_cycle({1: None, 2: 1, 3: 2}) is None
    assert rule.carry_cycle({4: 4}) == [4, 4]
    assert rule.carry_cycle({5: 3, 3: 5, 7: 5}) == [3, 5, 3]
    assert rule.call_span(moment, moment) is None and rule.call_span(None, moment) is not None
    assert rule.finished_debrief(moment, CallStatus.PLANNED, None, None, moment.replace(year=2025)) is not None
    assert rule.finished_debrief(moment, CallStatus.PLANNED, Outcome.LOST, None, moment.replace(year=2025)) is None
    assert rule.record_id(0, "id") is not None and rule.record_id(1, "id") is None
    assert rule.moment(datetime(1899, 12, 31, tzinfo=UTC), "x") is not None
    assert rule.attendee(1, 1, 9) is None and rule.attendee(1, 2, 9) is not None


def test_the_plan_form_refuses_the_years_the_import_refuses():
    from datetime import date

    from salestui.domain.dates import Invalid, parse_date, parse_when

    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    typed = parse_when("9999-12-31 10:00", now, UTC)
    assert isinstance(typed, Invalid) and "outside the years 1900-2199" in typed.message
    assert isinstance(parse_date("+9999w", date(2026, 11, 23)), Invalid)
    assert not isinstance(parse_when("2199-12-31 10:00", now, UTC), Invalid)
