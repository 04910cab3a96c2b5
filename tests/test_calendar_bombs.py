"""Calendar files that used to run away, crash or mislead: repeats, zones, ranges, bytes (issue 30.3-30.5).

Before: ``RRULE:FREQ=SECONDLY`` and a VTIMEZONE repeating ``FREQ=MINUTELY`` grew past 1.5 GB and
never ended, ``FREQ=MINUTELY`` made 128,021 calls, ``--days 3000000`` raised, a fold splitting a
UTF-8 character stored "���", a Latin-1 file was mis-decoded, an unknown TZID and a duplicate UID
passed without a word.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta

import pytest

from salestui.cli import main
from salestui.io.ics_import import MAX_EVENTS, MAX_OCCURRENCES, CalendarError, import_calendar, read_calendar

DECEMBER = datetime(2026, 12, 1, tzinfo=UTC)
WINDOW = (DECEMBER, DECEMBER + timedelta(days=90))


def ics(*events: str, head: str = "", zones: str = "") -> bytes:
    """A calendar around ``events`` (CRLF lines)."""
    text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + head + zones + "".join(events) + "END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def event(uid: str, start: str = "20261210T100000Z", extra: str = "", summary: str = "Renewal") -> str:
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261201T000000Z\nDTSTART:{start}\nSUMMARY:{summary}\n"
        f"ORGANIZER:mailto:rep@mycorp.example\nATTENDEE;CN=Jane Doe:mailto:jane@acme.com\n{extra}END:VEVENT\n"
    )


MINUTELY_ZONE = """BEGIN:VTIMEZONE
TZID:Bomb
BEGIN:STANDARD
DTSTART:19700101T000000
RRULE:FREQ=MINUTELY
TZOFFSETFROM:+0100
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
"""


@pytest.fixture
def acme(store, frozen_now):  # type: ignore[no-untyped-def]
    account = store.accounts.create("Acme", website="acme.com")
    store.accounts.add_contact(account.id, "Jane Doe", email="jane@acme.com")
    return account.id


def calls(store) -> int:  # type: ignore[no-untyped-def]
    return store.calls.count()


# -- runaway repeats (30.3) -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("freq", "said"), [("SECONDLY", "every second"), ("MINUTELY", "every minute"), ("HOURLY", "every hour")]
)
def test_a_meeting_repeating_more_often_than_daily_is_named_and_skipped(freq, said) -> None:
    read = read_calendar(ics(event("bomb", extra=f"RRULE:FREQ={freq}\n")), WINDOW, "", set())
    assert read.events == []
    assert read.problems == [f"'Renewal': repeats {said}, more often than daily: the series is skipped"]


def test_several_times_a_day_by_hour_and_minute_is_more_often_than_daily() -> None:
    rule = "RRULE:FREQ=DAILY;BYHOUR=9,10,11;BYMINUTE=0,30\n"
    read = read_calendar(ics(event("bomb", extra=rule)), WINDOW, "", set())
    assert read.events == [] and "repeats 6 times a day" in read.problems[0]


def test_a_series_keeps_its_first_occurrences_and_names_the_rest(store, acme, tmp_path) -> None:
    daily = tmp_path / "daily.ics"
    daily.write_bytes(ics(event("standup", extra="RRULE:FREQ=DAILY\n", summary="Acme standup")))
    report = import_calendar(store, daily, DECEMBER, 1000)
    assert report.created == MAX_OCCURRENCES
    assert f"'Acme standup': repeats more than {MAX_OCCURRENCES} times in the window" in report.summary()
    assert "the first 400 are imported (up to 2028-01-13)" in report.summary()


def test_a_zone_repeating_every_minute_is_refused_and_its_times_named(store, acme, tmp_path) -> None:
    bomb = tmp_path / "zone.ics"
    bomb.write_bytes(
        ics(
            event("z", start="20261210T100000", extra="").replace("DTSTART:", "DTSTART;TZID=Bomb:"), zones=MINUTELY_ZONE
        )
    )
    assert len(bomb.read_bytes()) < 700  # the 571-byte file of the report, give or take
    report = import_calendar(store, bomb, DECEMBER, 90)
    summary = report.summary()
    assert report.created == 1
    assert "time zone 'Bomb' refused: its rules repeat minutely" in summary
    assert "unknown time zone 'Bomb' on 1 event: times read as UTC" in summary


def test_more_meetings_than_an_import_takes_refuse_the_file() -> None:
    many = [event(f"e{i}", start=f"202612{i % 28 + 1:02d}T100000Z") for i in range(MAX_EVENTS + 1)]
    with pytest.raises(CalendarError, match=f"more than {MAX_EVENTS} meetings in the window"):
        read_calendar(ics(*many), WINDOW, "", set())


def test_events_outside_the_window_are_read_only_for_calls_imported_before() -> None:
    data = ics(event("old", start="20200105T100000Z"), event("known", start="20200106T100000Z"), event("now"))
    read = read_calendar(data, WINDOW, "", {"known"})
    assert sorted(e.uid for e in read.events) == ["known", "now"]
    assert sorted(e.uid for e in read_calendar(data, WINDOW).events) == ["known", "now", "old"]


BOUND = """
import resource, sys, time
from datetime import UTC, datetime, timedelta
from salestui.io.ics_import import CalendarError, read_calendar
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read = read_calendar(data, (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC)), "", set())
    outcome = f"{len(read.events)} events, {len(read.problems)} problems"
except CalendarError as problem:
    outcome = f"refused: {problem}"
print(json.dumps({"seconds": time.perf_counter() - start, "grew_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, "outcome": outcome}))
"""


def test_a_bomb_file_reads_in_bounded_time_and_memory(tmp_path) -> None:
    # 5 MB: ten thousand meetings of past years, a SECONDLY and a MINUTELY series without end and
    # a zone repeating every minute. Bound for 50 MB: 10 s and 300 MB; here a tenth of the memory
    # and the full time (the CI machine is shared).
    past = "".join(
        event(f"p{i}", start=f"2019{i % 12 + 1:02d}{i % 28 + 1:02d}T100000Z", extra="DESCRIPTION:" + "x" * 400 + "\n")
        for i in range(10_000)
    )
    bombs = event("s", extra="RRULE:FREQ=SECONDLY\n") + event("m", extra="RRULE:FREQ=MINUTELY\n")
    zoned = event("z", start="20261210T100000").replace("DTSTART:", "DTSTART;TZID=Bomb:")
    path = tmp_path / "bomb.ics"
    path.write_bytes(ics(past, bombs, zoned, zones=MINUTELY_ZONE))
    assert len(path.read_bytes()) > 4_000_000
    script = "import json\n" + textwrap.dedent(BOUND)
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["outcome"] == "1 events, 4 problems"
    assert measured["seconds"] < 10
    assert measured["grew_mb"] < 30


def test_a_huge_description_is_cut_and_said() -> None:
    folded = "DESCRIPTION:" + "\n ".join(["Agenda " * 10] * 6000) + "\n"  # 420 KB folded into one line
    read = read_calendar(ics(event("big", extra=folded, summary="Big")), WINDOW)
    assert len(read.events) == 1 and len(read.events[0].description) <= 32 * 1024
    assert read.problems == ["'Big': the event is 0.4 MB long: each of its lines was cut to 32 KB"]
    guests = "".join(f"ATTENDEE;CN=Guest {i}:mailto:g{i}@acme.com\n" for i in range(6000))
    crowded = read_calendar(ics(event("many", extra=guests)), WINDOW)
    assert crowded.problems == [] and len(crowded.events[0].attendees) == 6001


# -- ranges (30.4) ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--days", "3000000"], "--days must be between 1 and 3660 (ten years), not 3000000"),
        (["--from", "0001-01-01"], "outside the years 1900-2199"),
        (["--from", "9999-12-31"], "outside the years 1900-2199"),
        (["--from", "2199-06-01", "--days", "3000"], "the window must end within 2199"),
    ],
)
def test_import_ranges_are_one_line(tmp_path, capsys, args, said) -> None:
    path = tmp_path / "c.ics"
    path.write_bytes(ics(event("a")))
    assert main(["import", "calendar", str(path), *args, "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert said in err and "\n" not in err and "Traceback" not in err


def test_agenda_days_out_of_range_is_one_line(store, db_path, capsys) -> None:
    assert main(["agenda", "--days", "4000000", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "salestui: --days must be between 1 and 3660 (ten years), not 4000000"


def test_export_after_a_call_at_the_end_of_year_9999(store, acme) -> None:
    from salestui.io.ics import calendar_ics

    call_id = store.calls.create(acme, scheduled_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    text = calendar_ics(store, moment=datetime(2026, 12, 1, tzinfo=UTC))
    assert f"call-{call_id}-" in text and "DTSTART:99991231T233000Z" in text


# -- bytes, zones and UIDs (30.5) --------------------------------------------------------------------
def test_a_fold_inside_a_utf8_character_is_joined_before_decoding() -> None:
    raw = ics(event("a", summary="Jürgen Müller"))
    at = raw.index("Jürgen".encode()) + 2  # between the two bytes of "ü"
    folded = raw[:at] + b"\r\n " + raw[at:]
    assert b"\xc3\r\n \xbc" in folded
    read = read_calendar(folded, WINDOW)
    assert [e.summary for e in read.events] == ["Jürgen Müller"]
    assert read.problems == []


def test_a_latin1_file_is_read_as_such_and_said() -> None:
    raw = ics(event("a", summary="Réunion chez Müller")).decode().encode("cp1252")
    read = read_calendar(raw, WINDOW)
    assert [e.summary for e in read.events] == ["Réunion chez Müller"]
    assert read.problems == ["the file is not UTF-8: read as Windows-1252 (Western European); check names with accents"]


def test_an_unknown_tzid_is_named_and_read_as_local_time(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        data = ics(event("a", start="20261210T100000").replace("DTSTART:", "DTSTART;TZID=Mars/Olympus:"))
        read = read_calendar(data, WINDOW)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert read.problems == ["unknown time zone 'Mars/Olympus' on 1 event: times read as America/New_York"]
    assert read.events[0].start == datetime(2026, 12, 10, 15, 0, tzinfo=UTC)


def test_a_duplicate_uid_is_named_and_the_newer_sequence_kept() -> None:
    first = event("dup", summary="Old title", extra="SEQUENCE:1\n")
    second = event("dup", summary="New title", extra="SEQUENCE:2\n")
    read = read_calendar(ics(first, second), WINDOW)
    assert [e.summary for e in read.events] == ["New title"]
    assert read.problems == ["'New title': another event has the same UID 'dup': kept the one with the higher SEQUENCE"]
    same = read_calendar(ics(event("dup", summary="One"), event("dup", summary="Two")), WINDOW)
    assert [e.summary for e in same.events] == ["One"]
    assert same.problems == ["'Two': another event has the same UID 'dup': kept the first"]


def test_each_problem_reaches_the_import_summary(store, acme, tmp_path) -> None:
    path = tmp_path / "odd.ics"
    raw = (
        ics(
            event("dup", summary="Réunion"),
            event("dup", summary="Réunion bis"),
            event("tz", start="20261211T100000").replace("DTSTART:", "DTSTART;TZID=Nowhere/Land:"),
        )
        .decode()
        .encode("cp1252")
    )
    path.write_bytes(raw)
    summary = import_calendar(store, path, DECEMBER, 90).summary()
    assert "not UTF-8: read as Windows-1252" in summary
    assert "another event has the same UID 'dup'" in summary
    assert "unknown time zone 'Nowhere/Land' on 1 event" in summary
    assert date(2026, 12, 10).isoformat() not in summary or "Réunion" in summary
