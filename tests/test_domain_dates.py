"""The dates and times reps type: ISO, relative, named days; errors in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from salestui.domain.dates import Invalid, Parsed, parse_date, parse_when

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        ("Tomorrow 10:00", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        ("+2d 14:30", datetime(2026, 11, 25, 14, 30, tzinfo=UTC)),
        ("in 3 days 9am", datetime(2026, 11, 26, 9, 0, tzinfo=UTC)),
        ("+1w", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
        ("+3h", datetime(2026, 11, 23, 12, 0, tzinfo=UTC)),
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("fri 9:00", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        ("monday 2pm", datetime(2026, 11, 30, 14, 0, tzinfo=UTC)),
        ("today 12pm", datetime(2026, 11, 23, 12, 0, tzinfo=UTC)),
        ("  tomorrow   10:00  ", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_when_accepts_what_reps_type(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW, UTC)
    assert isinstance(result, Parsed)
    assert result.value == expected


@pytest.mark.parametrize(
    "text",
    ["", "someday", "tomorrow 25:00", "tomorrow 10:61", "2026-13-01", "+3h 10:00", "13pm", "fri at noon", "\x00"],
)
def test_parse_when_refuses_in_plain_words(text: str) -> None:
    result = parse_when(text, NOW, UTC)
    assert isinstance(result, Invalid)
    assert result.message and "Traceback" not in result.message


def test_parse_when_is_in_the_given_zone() -> None:
    zone = timezone(timedelta(hours=-5))
    result = parse_when("tomorrow 10:00", NOW, zone)
    assert isinstance(result, Parsed)
    assert result.value.utcoffset() == timedelta(hours=-5)
    assert result.value.astimezone(UTC) == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_huge_offsets_do_not_crash() -> None:
    far = datetime(9999, 12, 20, 9, 0, tzinfo=UTC)
    assert isinstance(parse_when("+9999w", far, UTC), Invalid)
    assert isinstance(parse_when("+30d 10:00", far, UTC), Invalid)
    assert isinstance(parse_date("+9999w", far.date()), Invalid)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("+7d", date(2026, 11, 30)),
        ("+2w", date(2026, 12, 7)),
        ("tomorrow", date(2026, 11, 24)),
        ("fri", date(2026, 11, 27)),
        ("mon", date(2026, 11, 30)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, NOW.date()) == expected


@pytest.mark.parametrize("text", ["", "next", "2026-02-30", "+3h", "soon"])
def test_parse_date_refuses(text: str) -> None:
    assert isinstance(parse_date(text, NOW.date()), Invalid)
