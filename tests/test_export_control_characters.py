"""Issue 17 item 12: no export (CSV, Markdown, iCalendar) writes a raw control character (ESC, BEL,
NUL, C1) that came in with imported text, nor one an older, dirty database still holds."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from salestui.io.crm_csv import import_accounts_csv, import_contacts_csv
from salestui.io.csv_export import calls_csv
from salestui.io.dossier import all_dossiers_markdown
from salestui.io.ics import calendar_ics
from salestui.store.core import Store
from tests.test_control_characters import DIRTY, user_text_columns

# Line breaks and tabs may stand in CSV cells and Markdown; nothing else below 0x20, no DEL, no C1.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SOON = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _exports(store: Store) -> dict[str, str]:
    return {"csv": calls_csv(store), "md": all_dossiers_markdown(store), "ics": calendar_ics(store)}


def _ics_text_values(ics: str) -> list[str]:
    """Every property value after unfolding (RFC 5545 3.1): TEXT must hold no control character."""
    unfolded = re.sub(r"\r\n[ \t]", "", ics)
    return [line.partition(":")[2] for line in unfolded.split("\r\n") if line]


def _fill(store: Store, text: str) -> None:
    account = store.accounts.create("Acme " + text, industry=text, notes=text)
    contact = store.accounts.add_contact(account.id, "Bo " + text, title=text, notes=text)
    call = store.calls.create(account.id, SOON, contact_ids=[contact.id], objective=text, goal=text, strategy=text)
    store.calls.add_objection(call, "price " + text, response=text)
    done = store.calls.create(account.id, SOON - timedelta(days=3), objective=text)
    store.debriefs.save(done, next_step=text, lessons=text, follow_up=date(2026, 11, 30))


def _assert_clean(exports: dict[str, str]) -> None:
    for kind, text in exports.items():
        assert "MARK" in text or "Acme" in text, kind  # the dirty records really are in it
        assert not FORBIDDEN.search(text), (kind, FORBIDDEN.findall(text))
    for value in _ics_text_values(exports["ics"]):
        assert not re.search("[\x00-\x1f\x7f-\x9f]", value), value


def test_imported_escape_sequences_never_reach_an_export(store: Store, tmp_path: Path, frozen_now) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f'Account Name,Industry,Description\n"Acme {DIRTY}",{DIRTY},"{DIRTY}\n{DIRTY}"\n', "utf-8")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"Name,Company,Title,Notes\nBo {DIRTY},Acme {DIRTY},{DIRTY},{DIRTY}\n", "utf-8")
    import_accounts_csv(store, accounts, {})
    import_contacts_csv(store, contacts, {})
    account = store.accounts.rows()[0]
    contact = store.accounts.contacts(account.id)[0]
    store.calls.create(account.id, SOON, contact_ids=[contact.id], objective="Pricing")
    exports = _exports(store)
    assert "Acme a\\[31mred\\[0mbc" in exports["md"]  # cleaned, then escaped for Markdown
    _assert_clean(exports)


@pytest.mark.sqlite_only("writes control characters into the SQLite file with sqlite3, as an older version could")
@pytest.mark.parametrize("text", [DIRTY, "MARK\x1b]0;title\x07\x1b[2J"])
def test_an_old_dirty_database_exports_clean(store: Store, db_path: Path, frozen_now, text: str) -> None:
    """Written before UserText (or by another tool): the exports clean what the database holds."""
    _fill(store, "MARK")
    raw = sqlite3.connect(db_path)
    for table, columns in user_text_columns().items():
        for column in columns:
            raw.execute(f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?)', ("MARK", text))
    raw.commit()
    assert raw.execute("SELECT count(*) FROM account WHERE instr(name, char(27)) > 0").fetchone()[0] == 1
    raw.close()
    _assert_clean(_exports(store))
