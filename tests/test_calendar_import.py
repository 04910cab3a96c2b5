"""Calendar import: Outlook, Google and Apple exports become planned calls; re-import, moves, cancels."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus
from salestui.io.ics_import import CalendarError, import_calendar
from salestui.store import tables as t

CALENDARS = Path(__file__).parent / "calendars"
MARCH = datetime(2027, 3, 1, tzinfo=UTC)  # the test files' meetings are in March and April 2027
OUTLOOK_SERIES = (
    "040000008200E00074C5B7101A82E00800000000D0F1A1B2C3D4D5010000000000000000100000004F2E6B6B8C1A9A4E8D0F5E1C2B3A49587"
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture
def accounts(store, frozen_now):  # type: ignore[no-untyped-def]
    """Accounts and contacts the test calendars' attendees belong to."""
    acme = store.accounts.create("Acme Manufacturing", website="https://www.acme.com/de")
    jane = store.accounts.add_contact(acme.id, "Jane Doe", email="jane.doe@acme.com")
    globex = store.accounts.create("Globex", website="www.globex.com")
    initech = store.accounts.create("Initech")
    mike = store.accounts.add_contact(initech.id, "Mike Chen", email="Mike@initech.com")
    hooli = store.accounts.create("Hooli", website="hooli.xyz")
    gavin = store.accounts.add_contact(hooli.id, "Gavin Belson", email="gavin@hooli.xyz")
    umbrella = store.accounts.create("Umbrella Corp", website="http://umbrella-corp.com")
    return {
        "acme": acme.id,
        "globex": globex.id,
        "initech": initech.id,
        "hooli": hooli.id,
        "umbrella": umbrella.id,
        "jane": jane.id,
        "mike": mike.id,
        "gavin": gavin.id,
    }


def imported(store, days: int = 60, path: Path | None = None, **options):  # type: ignore[no-untyped-def]
    return import_calendar(store, path or CALENDARS / "outlook.ics", MARCH, days, **options)


def calls(store) -> list[t.Call]:  # type: ignore[no-untyped-def]
    from sqlmodel import col, select

    with store.reading() as session:
        return list(session.exec(select(t.Call).order_by(col(t.Call.scheduled_at), col(t.Call.id))).all())


def by_summary(store, text: str) -> list[t.Call]:  # type: ignore[no-untyped-def]
    return [c for c in calls(store) if c.objective.startswith(text)]


def test_outlook_windows_zones_dst_exdate_moved_occurrence(store, accounts):
    report = imported(store)
    assert (report.created, report.updated, report.cancelled, report.unchanged) == (7, 0, 0, 0)
    weekly = [c for c in calls(store) if c.calendar_uid == OUTLOOK_SERIES]
    # Tuesdays at 10:00 W. Europe: 09:00 UTC before the DST change of 28 March, 08:00 UTC after;
    # 23 March is an EXDATE; 30 March moved to Wednesday 31 March 14:00 (RECURRENCE-ID).
    assert [c.scheduled_at for c in weekly] == [
        utc(2027, 3, 9, 9),
        utc(2027, 3, 16, 9),
        utc(2027, 3, 31, 12),
        utc(2027, 4, 6, 8),
        utc(2027, 4, 13, 8),
    ]
    assert [c.calendar_occurrence for c in weekly][2] == "20270330T080000Z"
    assert {c.account_id for c in weekly} == {accounts["acme"]}
    assert all(c.status == CallStatus.PLANNED.value for c in weekly)
    plan = store.calls.plan(weekly[0].id)
    assert plan.objective == "Acme weekly sync" and plan.kind is CallKind.CHECK_IN
    assert plan.contact_ids == (accounts["jane"],)  # JANE.DOE@ACME.COM is the contact jane.doe@acme.com
    assert plan.checklist, "imported calls start from the checklist template like any other"
    note = plan.notes[0].text
    assert note.startswith("From the calendar:\nWhere: Microsoft Teams Meeting\nAgenda: pilot scope")
    assert "_____" not in note and "Meeting ID: 312 555 019 44" in note
    moved = store.calls.plan(weekly[2].id)
    assert moved.objective == "Acme weekly sync (moved)" and "Acme HQ, Munich" in moved.notes[0].text
    # Pacific Standard Time after the US DST change (14 March): 09:00 PDT is 16:00 UTC. The
    # customer organised it; their domain matched the account's website.
    (umbrella,) = by_summary(store, "Umbrella")
    assert umbrella.scheduled_at == utc(2027, 3, 16, 16) and umbrella.account_id == accounts["umbrella"]
    (globex,) = by_summary(store, "Globex")
    assert globex.account_id == accounts["globex"] and globex.kind == CallKind.PROPOSAL.value
    assert report.lines == [
        "2027-03-18 08:00 'Canceled: Initech demo': cancelled",
        "2027-03-19 08:00 'Pipeline review with Dana': no matching account (no one outside your domain is invited)",
        "2027-03-20 'Hannover trade fair': all-day event",
    ]
    assert report.offered == [
        "Ann Wu <ann.wu@umbrella-corp.com>",
        "Bob Smith <bob.smith@globex.com>",
        "Piotr Nowak <piotr.nowak@acme.com>",
    ]
    assert "room412" not in report.summary()  # a meeting room is no attendee
    assert "your own domain was taken to be oursales.com" in report.summary()


def test_google_utc_times_follow_x_wr_timezone_across_dst(store, accounts):
    report = imported(store, path=CALENDARS / "google.ics")
    assert (report.created, report.cancelled) == (6, 0)
    check_ins = by_summary(store, "Initech check-in")
    # Mondays 10:00 Berlin written in UTC with X-WR-TIMEZONE: 09:00 UTC, then 08:00 UTC after
    # 28 March; 22 March is a cancelled occurrence.
    assert [c.scheduled_at for c in check_ins] == [
        utc(2027, 3, 8, 9),
        utc(2027, 3, 15, 9),
        utc(2027, 3, 29, 8),
        utc(2027, 4, 5, 8),
        utc(2027, 4, 12, 8),
    ]
    assert {c.account_id for c in check_ins} == {accounts["initech"]}
    plan = store.calls.plan(check_ins[0].id)
    assert plan.contact_ids == (accounts["mike"],)  # folded line, MIKE@INITECH.COM
    assert plan.notes[0].text == "From the calendar:\nWhere: Initech office, 3rd floor"
    (demo,) = by_summary(store, "Acme product demo")
    assert demo.kind == CallKind.DEMO.value and demo.scheduled_at == utc(2027, 3, 10, 13)
    assert "https://meet.google.com/abc-defg-hij" in store.calls.plan(demo.id).notes[0].text
    assert report.lines == [
        "2027-03-12 'Out of office': all-day event",
        "2027-03-22 09:00 'Initech check-in': cancelled",
    ]
    assert report.notes == []  # the calendar is named after its owner: no guess needed


def test_apple_email_parameter_rooms_and_new_york_dst(store, accounts):
    report = imported(store, path=CALENDARS / "apple.ics")
    assert report.created == 5 and report.lines == ["2027-03-16 'Dentist': all-day event"]
    (negotiation,) = by_summary(store, "Hooli contract")
    assert negotiation.scheduled_at == utc(2027, 3, 15, 18)  # 14:00 EDT
    assert negotiation.kind == CallKind.NEGOTIATION.value
    assert store.calls.plan(negotiation.id).contact_ids == (accounts["gavin"],)  # EMAIL=Gavin@Hooli.XYZ
    follow_ups = by_summary(store, "Hooli follow-up")
    assert [c.scheduled_at for c in follow_ups] == [  # daily 09:00 New York, 13 March excluded
        utc(2027, 3, 11, 14),
        utc(2027, 3, 12, 14),
        utc(2027, 3, 14, 13),
        utc(2027, 3, 15, 13),
    ]
    assert report.offered == []  # the board room at hooli.xyz is a room, not a new contact


def test_second_import_adds_nothing_and_keeps_the_plan(store, accounts):
    imported(store)
    (globex,) = by_summary(store, "Globex")
    store.calls.update(globex.id, objective="Agree the pilot price", strategy="Lead with the ROI")
    store.calls.set_advance(globex.id, AdvanceLevel.TARGET, "Signs the pilot order")
    before = [(c.id, c.scheduled_at, c.objective, c.version) for c in calls(store)]
    report = imported(store)
    assert (report.created, report.updated, report.cancelled, report.unchanged) == (0, 0, 0, 7)
    assert [(c.id, c.scheduled_at, c.objective, c.version) for c in calls(store)] == before
    plan = store.calls.plan(globex.id)
    assert plan.objective == "Agree the pilot price" and plan.strategy == "Lead with the ROI"
    assert len(plan.notes) == 1


def _changed(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    text = (CALENDARS / name).read_bytes().decode()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def test_moved_meeting_moves_the_call_and_never_its_plan_text(store, accounts, tmp_path):
    imported(store)
    (globex,) = by_summary(store, "Globex")
    store.calls.update(globex.id, objective="Agree the pilot price", goal="Price accepted")
    version = store.calls.plan(globex.id).version
    moved = _changed(
        tmp_path,
        "outlook.ics",
        (
            'DTSTART;TZID="W. Europe Standard Time":20270317T150000',
            'DTSTART;TZID="W. Europe Standard Time":20270324T113000',
        ),
        (
            'DTEND;TZID="W. Europe Standard Time":20270317T160000',
            'DTEND;TZID="W. Europe Standard Time":20270324T123000',
        ),
        ("Bring the pricing sheet.", "Bring the pricing sheet and the case study."),
        ("SUMMARY;LANGUAGE=en-us:Globex pricing proposal", "SUMMARY;LANGUAGE=en-us:Globex pricing (new time)"),
    )
    report = imported(store, path=moved)
    assert (report.created, report.updated, report.cancelled) == (0, 1, 0)
    plan = store.calls.plan(globex.id)
    assert plan.scheduled_at == utc(2027, 3, 24, 10, 30)
    assert (plan.objective, plan.goal) == ("Agree the pilot price", "Price accepted")
    assert plan.notes[0].text.endswith("Bring the pricing sheet and the case study.") and len(plan.notes) == 1
    assert plan.version == version + 1  # an open plan screen notices the change
    assert len(calls(store)) == 7


def test_cancelled_meeting_cancels_its_planned_call_but_never_a_held_one(store, accounts, tmp_path):
    imported(store)
    (globex,) = by_summary(store, "Globex")
    (umbrella,) = by_summary(store, "Umbrella")
    store.calls.start(umbrella.id)  # held: history an import never rewrites
    cancelled = _changed(
        tmp_path,
        "outlook.ics",
        ("SUMMARY;LANGUAGE=en-us:Globex pricing proposal", "STATUS:CANCELLED\r\nSUMMARY:Canceled: Globex pricing"),
        ("SUMMARY;LANGUAGE=en-us:Umbrella intro call", "STATUS:CANCELLED\r\nSUMMARY:Canceled: Umbrella intro"),
    )
    report = imported(store, path=cancelled)
    assert report.cancelled == 1
    assert store.calls.plan(globex.id).status is CallStatus.CANCELLED
    assert store.calls.plan(umbrella.id).status is CallStatus.PLANNED
    assert "2027-03-16 16:00 'Canceled: Umbrella intro': cancelled in the calendar, but the call took place" in (
        report.summary()
    )
    # The meeting is on again: the call is planned again.
    report = imported(store)
    assert report.updated == 1 and store.calls.plan(globex.id).status is CallStatus.PLANNED


def test_occurrence_removed_from_a_series_cancels_and_a_moved_series_moves(store, accounts, tmp_path):
    imported(store)
    excluded = _changed(
        tmp_path,
        "outlook.ics",
        (
            'EXDATE;TZID="W. Europe Standard Time":20270323T100000',
            'EXDATE;TZID="W. Europe Standard Time":20270323T100000,20270406T100000',
        ),
    )
    report = imported(store, path=excluded)
    assert report.cancelled == 1 and report.created == 0
    weekly = [c for c in calls(store) if c.calendar_uid == OUTLOOK_SERIES]
    assert [c.status for c in weekly] == ["planned", "planned", "planned", "cancelled", "planned"]
    # The whole series moves to 11:00: its calls move with it, none is added or cancelled.
    later = _changed(
        tmp_path,
        "outlook.ics",
        (
            'DTSTART;TZID="W. Europe Standard Time":20270309T100000',
            'DTSTART;TZID="W. Europe Standard Time":20270309T110000',
        ),
        (
            'DTEND;TZID="W. Europe Standard Time":20270309T110000',
            'DTEND;TZID="W. Europe Standard Time":20270309T120000',
        ),
        # Calendars rewrite the RECURRENCE-ID of a moved occurrence when its series moves.
        (
            'RECURRENCE-ID;TZID="W. Europe Standard Time":20270330T100000',
            'RECURRENCE-ID;TZID="W. Europe Standard Time":20270330T110000',
        ),
        (
            'EXDATE;TZID="W. Europe Standard Time":20270323T100000',
            'EXDATE;TZID="W. Europe Standard Time":20270323T110000',
        ),
    )
    ids = [c.id for c in weekly]
    report = imported(store, path=later)
    assert report.created == 0 and report.cancelled == 0
    after = {c.id: c for c in calls(store) if c.calendar_uid == OUTLOOK_SERIES}
    assert sorted(after) == sorted(ids)
    assert after[ids[0]].scheduled_at == utc(2027, 3, 9, 10)
    assert after[ids[4]].scheduled_at == utc(2027, 4, 13, 9)
    assert after[ids[2]].scheduled_at == utc(2027, 3, 31, 12)  # the moved occurrence stays where it was moved
    # The file has 6 April again: its call, cancelled by the EXDATE, is planned again.
    assert {c.status for c in after.values()} == {"planned"}


def test_add_contacts_creates_the_offered_attendees(store, accounts):
    report = imported(store, add_contacts=True)
    assert report.contacts_created == 3 and report.offered == []
    (globex,) = by_summary(store, "Globex")
    (bob,) = store.accounts.contacts(accounts["globex"])
    assert (bob.name, bob.email) == ("Bob Smith", "bob.smith@globex.com")
    assert store.calls.plan(globex.id).contact_ids == (bob.id,)
    assert imported(store, add_contacts=True).contacts_created == 0


def test_own_domain_never_matches_and_public_mail_domains_match_only_by_address(store, accounts, tmp_path):
    from salestui.store.calendar import own_domain, set_own_domain

    partner = store.accounts.create("Oursales Partner Desk", website="https://oursales.com")
    gmail = store.accounts.create("Freelancer")
    store.accounts.add_contact(gmail.id, "Sam", email="sam.freelance@gmail.com")
    assert set_own_domain(store, "Rep.Smith@OurSales.com") == "oursales.com" and own_domain(store) == "oursales.com"
    path = _changed(
        tmp_path,
        "outlook.ics",
        ('ATTENDEE;CN="Dana Lee";RSVP=TRUE:mailto:dana.lee@oursales.com', "ATTENDEE:mailto:someone.else@gmail.com"),
    )
    report = imported(store, path=path)
    assert not [c for c in calls(store) if c.account_id in (partner.id, gmail.id)]
    assert "'Pipeline review with Dana': no matching account for gmail.com" in report.summary()
    assert not report.notes  # set in config: nothing guessed


def test_salestui_export_imported_back_moves_its_calls(store, accounts, frozen_now, tmp_path):
    from salestui.io.ics import calendar_ics

    call_id = store.calls.create(accounts["acme"], utc(2026, 12, 1, 10), objective="Own call")
    exported = calendar_ics(store)
    moved = exported.replace("DTSTART:20261201T100000Z", "DTSTART:20261202T143000Z")
    moved = moved.replace("DTEND:20261201T110000Z", "DTEND:20261202T153000Z")
    assert moved != exported
    path = tmp_path / "back.ics"
    path.write_text(moved)
    report = import_calendar(store, path, frozen_now, 90)
    assert (report.created, report.updated) == (0, 1)
    assert store.calls.plan(call_id).scheduled_at == utc(2026, 12, 2, 14, 30)
    assert store.calls.plan(call_id).objective == "Own call"


def test_one_transaction_nothing_half_written(store, accounts, monkeypatch):
    from salestui.store import calendar as store_calendar

    def broken(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk gone")  # after the first calls were inserted

    imported(store)
    count = len(calls(store))
    store.calls.delete(by_summary(store, "Globex")[0].id)
    store.calls.delete(by_summary(store, "Umbrella")[0].id)
    monkeypatch.setattr(store_calendar._Writer, "step", broken)
    with pytest.raises(RuntimeError):
        imported(store)
    assert len(calls(store)) == count - 2


def test_progress_is_reported(store, accounts):
    seen: list[tuple[int, int]] = []
    imported(store, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (7, 7)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an iCalendar file"),
        (b"Subject,Start Date\nSync,2027-03-01\n", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART\r\nEND:VCALENDAR\r\n", "not a readable iCalendar file"),
    ],
)
def test_bad_files_give_one_line_and_a_non_zero_exit(tmp_path, capsys, content, message):
    db = tmp_path / "x.db"
    bad = tmp_path / "bad.ics"
    bad.write_bytes(content)
    assert main(["import", "calendar", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "nothing was imported" in err
    assert sqlite3.connect(db).execute("SELECT count(*) FROM call").fetchone()[0] == 0


def test_missing_file_folder_and_bad_options(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    assert main(["import", "calendar", str(tmp_path / "nope.ics"), "--db", db]) == 2
    assert main(["import", "calendar", str(tmp_path), "--db", db]) == 2
    assert main(["import", "calendar", str(CALENDARS / "apple.ics"), "--days", "0", "--db", db]) == 2
    assert main(["import", "calendar", str(CALENDARS / "apple.ics"), "--from", "someday", "--db", db]) == 2
    assert main(["import", "accounts", str(CALENDARS / "apple.ics"), "--days", "3", "--db", db]) == 2
    lines = capsys.readouterr().err.strip().split("\n")
    assert len(lines) == 5 and all(line.startswith("salestui: ") for line in lines)


def test_unreadable_event_is_skipped_with_a_line_the_rest_imported(store, accounts, tmp_path):
    path = _changed(
        tmp_path,
        "apple.ics",
        ("DTSTART;VALUE=DATE:20270316", "DTSTART:2027-03-16 all day"),
    )
    report = imported(store, path=path)
    assert report.created == 5
    (line,) = [line for line in report.lines if "Dentist" in line]
    assert line.startswith("'Dentist': unreadable (")


def test_cli_window_and_summary(tmp_path, capsys, accounts, db_path):
    assert (
        main(
            [
                "import",
                "calendar",
                str(CALENDARS / "google.ics"),
                "--from",
                "2027-03-09",
                "--days",
                "7",
                "--db",
                str(db_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    # From Tuesday 9 March for 7 days: the demo on the 10th, the check-in on the 15th, the day off.
    assert out.splitlines()[0] == "calendar: 2 created, 0 updated, 0 cancelled, 1 skipped"


def test_not_a_calendar_raises_calendar_error(store):
    from salestui.io.ics_import import read_calendar, window_of

    with pytest.raises(CalendarError):
        read_calendar(b"hello", window_of(MARCH, 1))


def test_a_custom_time_zone_block_is_used_as_written(store, accounts, tmp_path):
    # Outlook names a zone it cannot name "Customized Time Zone": its VTIMEZONE rules apply.
    custom = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:custom-zone-1\r\nSUMMARY:Acme in Pune\r\n"
        'DTSTART;TZID="Customized Time Zone":20270310T100000\r\n'
        "ATTENDEE:mailto:jane.doe@acme.com\r\nORGANIZER:mailto:rep.smith@oursales.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path = tmp_path / "custom.ics"
    path.write_text(custom)
    assert imported(store, path=path).created == 1
    (call,) = by_summary(store, "Acme in Pune")
    assert call.scheduled_at == utc(2027, 3, 10, 4, 30)


def test_import_reimport_and_cancel_on_sqlite_and_postgresql(any_store, frozen_now, tmp_path):
    acme = any_store.accounts.create("Acme Manufacturing", website="acme.com")
    any_store.accounts.add_contact(acme.id, "Jane Doe", email="jane.doe@acme.com")
    first = imported(any_store, add_contacts=True)
    assert (first.created, first.contacts_created) == (5, 1)  # the weekly series; Piotr becomes a contact
    again = imported(any_store, add_contacts=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    cancelled = _changed(
        tmp_path,
        "outlook.ics",
        ("SUMMARY;LANGUAGE=en-us:Acme weekly sync (moved)", "STATUS:CANCELLED\r\nSUMMARY:Acme weekly sync (moved)"),
    )
    assert imported(any_store, path=cancelled).cancelled == 1


def test_control_characters_never_reach_the_database(store, accounts, tmp_path):
    path = _changed(
        tmp_path,
        "google.ics",
        ("SUMMARY:Acme product demo", "SUMMARY:Acme \x1b[2Jproduct\x07 demo"),
        ("LOCATION:\r\n", "LOCATION:Room \x1b]0;pwned\x07 7\r\n"),
    )
    imported(store, path=path)
    (demo,) = by_summary(store, "Acme [2Jproduct demo")
    note = store.calls.plan(demo.id).notes[0].text
    assert "\x1b" not in note and "\x07" not in note and "Where: Room ]0;pwned 7" in note


def test_config_domain_command(db_path, capsys):
    assert main(["config", "domain", "--db", str(db_path)]) == 0
    assert main(["config", "domain", "Rep@OurSales.com", "--db", str(db_path)]) == 0
    assert main(["config", "domain", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "(not set: guessed from each calendar file)",
        "Your own domain is now oursales.com.",
        "oursales.com",
    ]
