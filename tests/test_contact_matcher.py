"""One contact matcher for CSV, vCard and calendar import (issue 30.6).

Before: ``import calendar --add-contacts`` matched attendees by a contact's primary e-mail only,
so a "Pepper Lin" already at Stark without an e-mail got a second "Pepper Lin".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from salestui.domain.imports import OTHER_ADDRESSES, find_contact, index_contact, known_addresses

DECEMBER = datetime(2026, 12, 1, tzinfo=UTC)


def directory() -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    by_email: dict[str, int] = {}
    by_name: dict[tuple[int, str], int] = {}
    index_contact(by_email, by_name, 1, 10, "Pepper  Lin", "", "")
    index_contact(by_email, by_name, 2, 10, "Tony Stark", "Tony@Stark.com", f"{OTHER_ADDRESSES} ironman@stark.com")
    index_contact(by_email, by_name, 3, 20, "Pepper Lin", "pepper@globex.com", "")
    return by_email, by_name


def test_any_address_matches_case_blind_including_other_addresses() -> None:
    by_email, by_name = directory()
    assert find_contact(by_email, by_name, None, "", ["TONY@stark.com"]) == 2
    assert find_contact(by_email, by_name, None, "", ["nobody@x.com", "IronMan@stark.com"]) == 2
    assert known_addresses("Tony@Stark.com", f"{OTHER_ADDRESSES} ironman@stark.com") == [
        "tony@stark.com",
        "ironman@stark.com",
    ]


def test_else_the_name_within_the_account_only() -> None:
    by_email, by_name = directory()
    assert find_contact(by_email, by_name, 10, "pepper lin", ["pepper@stark.com"]) == 1
    assert find_contact(by_email, by_name, 30, "Pepper Lin", ["pepper@stark.com"]) is None
    assert find_contact(by_email, by_name, 10, "", ["pepper@stark.com"]) is None
    # An address wins over a name: Pepper of Globex by her address, whatever account is asked.
    assert find_contact(by_email, by_name, 10, "Pepper Lin", ["pepper@globex.com"]) == 3


def _invite(path: Path, *attendees: str) -> Path:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:stark-1",
        "DTSTAMP:20261201T000000Z",
        "DTSTART:20261210T100000Z",
        "SUMMARY:Stark renewal",
        "ORGANIZER:mailto:rep@mycorp.example",
        *attendees,
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def test_calendar_add_contacts_finds_the_pepper_lin_who_has_no_email(store, frozen_now, tmp_path) -> None:
    from salestui.io.ics_import import import_calendar

    stark = store.accounts.create("Stark Industries", website="stark.com")
    pepper = store.accounts.add_contact(stark.id, "Pepper Lin")  # no e-mail
    invite = _invite(
        tmp_path / "invite.ics",
        "ATTENDEE;CN=Pepper Lin:mailto:pepper@stark.com",
        "ATTENDEE;CN=Happy Hogan:mailto:happy@stark.com",
    )
    report = import_calendar(store, invite, DECEMBER, 90, add_contacts=True)
    assert report.created == 1 and report.contacts_created == 1  # Happy only
    names = sorted((c.name, c.email) for c in store.accounts.contacts(stark.id))
    assert names == [("Happy Hogan", "happy@stark.com"), ("Pepper Lin", "pepper@stark.com")]  # her address kept
    assert "1 contact(s) found by name took the attendee's e-mail address" in report.summary()
    call = store.calls.plan(store.calls.upcoming()[0].id)
    assert pepper.id in call.contact_ids


def test_without_add_contacts_she_is_not_offered_either(store, frozen_now, tmp_path) -> None:
    from salestui.io.ics_import import import_calendar

    stark = store.accounts.create("Stark Industries", website="stark.com")
    store.accounts.add_contact(stark.id, "Pepper Lin")
    invite = _invite(tmp_path / "invite.ics", "ATTENDEE;CN=Pepper Lin:mailto:pepper@stark.com")
    report = import_calendar(store, invite, DECEMBER, 90)
    assert report.offered == []


@pytest.mark.parametrize("kind", ["csv", "vcard", "calendar"])
def test_every_import_asks_the_one_matcher(store, frozen_now, tmp_path, monkeypatch, kind) -> None:
    import salestui.domain.calendar as calendar_domain
    import salestui.store.accounts as accounts_store
    from salestui.domain import imports

    asked: list[str] = []

    def spy(by_email, by_name, account_id, name, emails):  # type: ignore[no-untyped-def]
        asked.append(name)
        return imports.find_contact(by_email, by_name, account_id, name, emails)

    monkeypatch.setattr(accounts_store, "find_contact", spy)
    monkeypatch.setattr(calendar_domain, "find_contact", spy)
    stark = store.accounts.create("Stark Industries", website="stark.com")
    store.accounts.add_contact(stark.id, "Pepper Lin")
    if kind == "csv":
        from salestui.io.crm_csv import import_contacts_csv

        path = tmp_path / "c.csv"
        path.write_text("First Name,Last Name,Account Name,Email\nPepper,Lin,Stark Industries,pepper@stark.com\n")
        import_contacts_csv(store, path, {})
    elif kind == "vcard":
        from salestui.io.vcard import import_contacts_vcf

        path = tmp_path / "c.vcf"
        path.write_text(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Pepper Lin\nORG:Stark Industries\nEMAIL:pepper@stark.com\nEND:VCARD\n"
        )
        import_contacts_vcf(store, path)
    else:
        from salestui.io.ics_import import import_calendar

        import_calendar(
            store, _invite(tmp_path / "i.ics", "ATTENDEE;CN=Pepper Lin:mailto:pepper@stark.com"), DECEMBER, 90, True
        )
    assert "Pepper Lin" in asked
    assert [c.name for c in store.accounts.contacts(stark.id)] == ["Pepper Lin"]
