"""Stats rules on a hand-built dataset whose rates are known."""

from __future__ import annotations

from datetime import date

import pytest

from salestui.domain.enums import CallKind, Outcome
from salestui.domain.review import Period, ReviewFilter, period_bounds
from salestui.domain.stats import (
    StatRow,
    band_key,
    best_first,
    percent,
    preparation_pays,
    rate,
    rates_by_band,
    rates_by_key,
)

A, C, L, X = Outcome.ADVANCE, Outcome.CONTINUATION, Outcome.LOST, Outcome.CANCELLED

# 10 calls of kind demo: 4 advances (3 debriefed), 3 continuations (1), 1 lost (1), 2 cancelled.
# 5 calls of kind discovery: 1 advance (1), 4 continuations (0); 3 not yet held (no outcome).
ROWS = [
    StatRow("demo", A, 4, 3),
    StatRow("demo", C, 3, 1),
    StatRow("demo", L, 1, 1),
    StatRow("demo", X, 2, 0),
    StatRow("discovery", A, 1, 1),
    StatRow("discovery", C, 4, 0),
    StatRow("discovery", None, 3, 0),
]


def test_overall_rates_count_only_held_calls():
    overall = rate(ROWS)
    assert (overall.held, overall.advances, overall.continuations, overall.lost, overall.cancelled) == (13, 5, 7, 1, 2)
    assert overall.advance_rate == pytest.approx(5 / 13)
    assert overall.continuation_rate == pytest.approx(7 / 13)
    assert overall.debrief_rate == pytest.approx(6 / 13)


def test_rates_by_key_keep_first_seen_order():
    demo, discovery = rates_by_key(ROWS)
    assert (demo.key, demo.held, demo.advance_rate) == ("demo", 8, 0.5)
    assert (discovery.key, discovery.held, discovery.advance_rate) == ("discovery", 5, 0.2)
    assert [r.key for r in best_first([discovery, demo])] == ["demo", "discovery"]


def test_no_held_call_gives_no_rate_and_a_dash():
    empty = rate([StatRow("x", X, 3), StatRow("x", None, 2)])
    assert empty.held == 0 and empty.advance_rate is None
    assert percent(empty.advance_rate) == "—"
    assert percent(2 / 3) == "67%"


def test_readiness_bands_use_the_frozen_score():
    bands = rates_by_band(
        [
            (30, A, 1, 1),
            (45, C, 3, 0),  # low: 1 of 4
            (60, A, 2, 2),
            (79, L, 2, 1),  # medium: 2 of 4
            (80, A, 3, 3),
            (100, C, 1, 1),  # high: 3 of 4
            (None, A, 5, 0),  # never started: not recorded
            (90, X, 7, 0),  # cancelled: not held
        ]
    )
    assert [b.key for b in bands] == ["low", "medium", "high", "not recorded"]
    assert [b.advance_rate for b in bands] == [0.25, 0.5, 0.75, 1.0]
    assert preparation_pays(bands) is True
    assert band_key(None) == "not recorded" and band_key(49) == "low" and band_key(50) == "medium"


def test_bands_are_always_listed_even_empty():
    bands = rates_by_band([(85, A, 1, 0)])
    assert [(b.key, b.held) for b in bands] == [("low", 0), ("medium", 0), ("high", 1)]
    assert preparation_pays(bands) is None


def test_preparation_does_not_pay_when_low_beats_high():
    bands = rates_by_band([(10, A, 3, 0), (90, C, 3, 0), (90, A, 1, 0)])
    assert preparation_pays(bands) is False


def test_period_bounds():
    monday = date(2026, 11, 23)
    thursday = date(2026, 11, 26)
    assert period_bounds(Period.THIS_WEEK, thursday) == (monday, date(2026, 11, 30))
    assert period_bounds(Period.LAST_30_DAYS, thursday) == (date(2026, 10, 28), date(2026, 11, 27))
    assert period_bounds(Period.QUARTER, thursday) == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_bounds(Period.QUARTER, date(2026, 2, 3)) == (date(2026, 1, 1), date(2026, 4, 1))
    assert period_bounds(Period.CUSTOM, thursday, date(2026, 1, 1), date(2026, 1, 31)) == (
        date(2026, 1, 1),
        date(2026, 2, 1),
    )
    assert period_bounds(Period.ALL, thursday) == (None, None)


def test_filter_summary_reads_as_one_line():
    assert ReviewFilter().summary() == "all past calls"
    flt = ReviewFilter(
        account_id=3,
        account_name="Acme",
        outcome=A,
        period=Period.LAST_30_DAYS,
        kind=CallKind.CHECK_IN,
        needs_debrief=True,
    )
    assert flt.summary() == "account Acme · outcome advance · last 30 days · kind check-in · needs debrief"
    assert flt.active and not flt.cleared().active
