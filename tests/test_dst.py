"""Plan times across a change of clocks: the IANA zone of the typed date, never the offset of now.

Before: ``dates.parse_when`` took ``now.astimezone().tzinfo`` (a fixed offset), so in New York in
December "2027-07-01 10:00" showed "→ 11:00" and stored 15:00 UTC.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salestui.domain import clock
from salestui.domain.carryover import follow_up_at
from salestui.domain.dates import Invalid, Parsed, parse_when

DECEMBER = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set ``$TZ`` (and the C library's idea of it) for one test; UTC again afterwards."""

    def set_zone(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("TZ", raising=False)
        else:
            monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    os.environ["TZ"] = "UTC"
    time.tzset()


# zone, typed in December, the UTC instant it must be, the wall clock shown back
SUMMER = [
    ("America/New_York", "2027-07-01 10:00", datetime(2027, 7, 1, 14, 0, tzinfo=UTC)),
    ("Europe/Berlin", "2027-07-01 10:00", datetime(2027, 7, 1, 8, 0, tzinfo=UTC)),
    # Chatham is on summer time in December (+13:45) and on standard time in July (+12:45).
    ("Pacific/Chatham", "2027-07-01 10:00", datetime(2027, 6, 30, 21, 15, tzinfo=UTC)),
]


@pytest.mark.parametrize(("name", "typed", "instant"), SUMMER)
def test_a_date_across_the_change_gets_its_own_offset(zone, name: str, typed: str, instant: datetime) -> None:
    zone(name)
    result = parse_when(typed, DECEMBER)
    assert isinstance(result, Parsed)
    assert result.value.astimezone(UTC) == instant
    assert result.value == instant  # equal to the stored UTC instant (no fold trouble)
    assert clock.local(instant).strftime("%Y-%m-%d %H:%M") == typed
    assert result.note is None


@pytest.mark.parametrize("name", ["America/New_York", "Europe/Berlin", "Pacific/Chatham"])
def test_relative_days_land_on_the_wall_clock_of_that_day(zone, name: str) -> None:
    zone(name)
    result = parse_when("+120d 10:00", DECEMBER)
    assert isinstance(result, Parsed)
    shown = result.value.astimezone(ZoneInfo(name))
    day = DECEMBER.astimezone(ZoneInfo(name)).date() + timedelta(days=120)  # Dec 7 already in Chatham
    assert (shown.date(), shown.hour, shown.minute) == (day, 10, 0)
    assert result.value.utcoffset() == ZoneInfo(name).utcoffset(datetime.combine(day, datetime.min.time()))


def test_hours_ahead_are_elapsed_hours_across_the_change(zone) -> None:
    zone("America/New_York")
    before_change = datetime(2027, 3, 14, 6, 30, tzinfo=UTC)  # 01:30 EST, the clocks jump at 02:00
    result = parse_when("+3h", before_change)
    assert isinstance(result, Parsed)
    assert result.value.astimezone(UTC) == datetime(2027, 3, 14, 9, 30, tzinfo=UTC)
    assert clock.local(result.value).strftime("%H:%M") == "05:30"


GAPS = [
    ("America/New_York", "2027-03-14 02:30", "02:30 does not exist on 2027-03-14 in America/New_York", "03:30?"),
    ("Europe/Berlin", "2027-03-28 02:30", "02:30 does not exist on 2027-03-28 in Europe/Berlin", "03:30?"),
    ("Pacific/Chatham", "2027-09-26 03:00", "03:00 does not exist on 2027-09-26 in Pacific/Chatham", "04:00?"),
]


@pytest.mark.parametrize(("name", "typed", "named", "offer"), GAPS)
def test_a_time_the_clocks_skip_is_named_never_shifted(zone, name: str, typed: str, named: str, offer: str) -> None:
    zone(name)
    result = parse_when(typed, DECEMBER)
    assert isinstance(result, Invalid)
    assert named in result.message
    assert "clocks go forward an hour" in result.message
    assert result.message.endswith(offer)


FOLDS = [
    ("America/New_York", "2027-11-07 01:30", ("EDT", "EST"), timedelta(hours=-4), timedelta(hours=-5)),
    ("Europe/Berlin", "2027-10-31 02:30", ("CEST", "CET"), timedelta(hours=2), timedelta(hours=1)),
    (
        "Pacific/Chatham",
        "2027-04-04 03:00",
        ("+1345", "+1245"),
        timedelta(hours=13, minutes=45),
        timedelta(hours=12, minutes=45),
    ),
]


@pytest.mark.parametrize(("name", "typed", "names", "first", "second"), FOLDS)
def test_a_time_shown_twice_is_named_and_either_can_be_chosen(
    zone, name: str, typed: str, names: tuple[str, str], first: timedelta, second: timedelta
) -> None:
    zone(name)
    result = parse_when(typed, DECEMBER)
    assert isinstance(result, Parsed)
    assert result.value.utcoffset() == first
    assert result.note is not None
    assert (
        f"happens twice on {typed[:10]} in {name} (clocks go back an hour): this is the first, {names[0]}"
        in result.note
    )
    assert f'"{typed} {names[1]}" for the other' in result.note
    other = parse_when(f"{typed} {names[1].lower()}", DECEMBER)
    assert isinstance(other, Parsed) and other.value.utcoffset() == second
    assert other.note is not None and "this is the second" in other.note
    wrong = parse_when(f"{typed} pst", DECEMBER)
    assert isinstance(wrong, Invalid) and names[0] in wrong.message


def test_an_ordinary_time_takes_no_zone_word(zone) -> None:
    zone("Europe/Berlin")
    assert isinstance(parse_when("2027-07-01 10:00 cest", DECEMBER), Invalid)
    assert isinstance(parse_when("tomorrow 9 am", DECEMBER), Parsed)


@pytest.mark.parametrize(
    ("tz", "key"),
    [
        ("America/New_York", "America/New_York"),
        (":Europe/Berlin", "Europe/Berlin"),
        ("/usr/share/zoneinfo/Pacific/Chatham", "Pacific/Chatham"),
        ("", "UTC"),
    ],
)
def test_the_zone_comes_from_tz(zone, tz: str, key: str) -> None:
    zone(tz)
    assert clock.zone_name() == key


def test_without_tz_the_zone_is_where_etc_localtime_points(
    zone, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Berlin")
    monkeypatch.setattr(clock, "_LOCALTIME", link)
    monkeypatch.setattr(clock, "_TIMEZONE_FILE", tmp_path / "none")
    clock._resolve.cache_clear()
    zone(None)
    try:
        assert clock.zone_name() == "Europe/Berlin"
        result = parse_when("2027-07-01 10:00", DECEMBER)
        assert isinstance(result, Parsed) and result.value == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)
    finally:
        clock._resolve.cache_clear()


def test_a_posix_rule_falls_back_to_the_offset_of_now(zone) -> None:
    # "XYZ-3" names no IANA zone: the C library reads it as UTC+3 all year; so do we.
    zone("XYZ-3")
    assert clock.local_zone() == timezone(timedelta(hours=3))
    assert clock.zone_name() == "UTC+03:00"
    result = parse_when("2027-07-01 10:00", DECEMBER)
    assert isinstance(result, Parsed) and result.value == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)


def test_the_drafted_follow_up_is_nine_on_the_wall_clock_of_its_day(zone) -> None:
    zone("America/New_York")
    moment = follow_up_at(date(2027, 7, 1), DECEMBER)
    assert moment.astimezone(UTC) == datetime(2027, 7, 1, 13, 0, tzinfo=UTC)


async def test_the_when_hint_shows_the_time_typed_and_names_a_fold(zone) -> None:
    from textual.app import App, ComposeResult

    from salestui.widgets.plan_when import WhenInput

    zone("America/New_York")
    clock.freeze(DECEMBER)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield WhenInput(id="when")

    try:
        async with Host().run_test() as pilot:
            field = pilot.app.query_one(WhenInput)
            field.value = "2027-07-01 10:00"
            content, mistaken = field.hint()
            assert not mistaken and str(content) == "→ Thu 01 Jul 2027 10:00"
            field.value = "2027-03-14 02:30"
            content, mistaken = field.hint()
            assert mistaken and "02:30 does not exist on 2027-03-14 in America/New_York" in str(content)
            field.value = "2027-11-07 01:30"
            content, mistaken = field.hint()
            assert not mistaken and "→ Sun 07 Nov 2027 01:30 · 01:30 happens twice" in str(content)
    finally:
        clock.freeze(None)


# -- the length of a call: a monotonic clock, not the wall clock (issue 30.2) -----------------------


def test_a_clock_set_back_never_ends_a_call_before_it_started(store, frozen_now) -> None:
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, scheduled_at=frozen_now)
    store.calls.start(call_id)
    clock.freeze(frozen_now - timedelta(hours=1))  # the wall clock jumps back an hour mid-call
    try:
        store.calls.end(call_id)
    finally:
        clock.freeze(frozen_now)
    plan = store.calls.plan(call_id)
    assert plan.started_at == frozen_now
    assert plan.ended_at is not None and plan.ended_at >= plan.started_at


def test_a_call_ends_its_monotonic_length_after_its_start(store, frozen_now) -> None:
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, scheduled_at=frozen_now)
    store.calls.start(call_id)
    clock.freeze(frozen_now - timedelta(hours=1))
    try:
        store.calls.end(call_id, 754.0)
    finally:
        clock.freeze(frozen_now)
    assert store.calls.plan(call_id).ended_at == frozen_now + timedelta(seconds=754)


async def test_ending_in_the_call_screen_stores_the_monotonic_length(db_path, store, frozen_now, monkeypatch) -> None:
    from salestui.screens import incall
    from salestui.screens.incall import InCallScreen
    from tests.helpers import make_app, reopen_plan, settle, wait_ready

    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, scheduled_at=frozen_now)
    store.engine.dispose()
    tick = [1000.0]
    monkeypatch.setattr(incall, "monotonic", lambda: tick[0])  # the screen's clock only, not asyncio's
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.start_call(call_id)
        await settle(pilot)
        assert isinstance(app.screen, InCallScreen)
        clock.freeze(frozen_now - timedelta(hours=2))  # the clock is set back during the call
        tick[0] += 600.0  # ten minutes pass
        await pilot.press("ctrl+e")
        await settle(pilot)
    clock.freeze(frozen_now)
    plan = reopen_plan(db_path, call_id)
    assert plan.started_at == frozen_now
    assert plan.ended_at == frozen_now + timedelta(seconds=600)


@pytest.mark.parametrize(("name", "typed", "names", "first", "second"), FOLDS)
def test_a_stored_time_in_a_fold_is_shown_so_it_reads_back_the_same(
    zone, name: str, typed: str, names: tuple[str, str], first: timedelta, second: timedelta
) -> None:
    from salestui.domain.dates import shown_when

    zone(name)
    for which in names:
        stored = parse_when(f"{typed} {which}", DECEMBER)
        assert isinstance(stored, Parsed)
        shown = shown_when(stored.value.astimezone(UTC))
        assert shown == f"{typed} {which}"
        again = parse_when(shown, DECEMBER)
        assert isinstance(again, Parsed) and again.value == stored.value.astimezone(UTC)
    assert shown_when(datetime(2027, 7, 1, 14, 0, tzinfo=UTC), ZoneInfo("America/New_York")) == "2027-07-01 10:00"
