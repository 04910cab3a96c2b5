"""Calls CSV: golden file on the demo data, one row per call, formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from salestui.io.csv_export import HEADER, calls_csv, neutralise
from salestui.store.core import Store
from tests.golden_files import assert_golden


def test_demo_calls_match_the_golden_file(demo_store: Store) -> None:
    assert_golden("calls.csv", calls_csv(demo_store))


def test_one_row_per_call_with_the_promised_columns(demo_store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(calls_csv(demo_store))))
    assert len(rows) == demo_store.calls.count()
    assert set(HEADER) >= {
        "date",
        "account",
        "contacts",
        "kind",
        "objective",
        "goal",
        "readiness",
        "advances planned",
        "outcome",
        "secured advance",
        "follow-up",
    }
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    secured = [r for r in rows if r["secured advance"]]
    assert secured and all(r["outcome"] == "Advance" for r in secured)


def test_one_account_only(demo_store: Store) -> None:
    account = demo_store.accounts.find_by_name("Initech")
    assert account is not None
    rows = list(csv.DictReader(io.StringIO(calls_csv(demo_store, account.id))))
    assert rows and {r["account"] for r in rows} == {"Initech"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        ("42", "42"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_user_text_cannot_become_a_formula(store: Store) -> None:
    account = store.accounts.create("=cmd|' /C calc'!A0")
    contact = store.accounts.add_contact(account.id, "@evil")
    store.calls.create(account.id, None, contact_ids=[contact.id], objective="+1 more", goal="-1 less\nsecond line")
    row = next(csv.DictReader(io.StringIO(calls_csv(store))))
    assert row["account"] == "'=cmd|' /C calc'!A0"
    assert row["contacts"] == "'@evil"
    assert row["objective"] == "'+1 more"
    assert row["goal"] == "'-1 less second line"  # one line: CRMs split rows on line breaks
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
