"""Forecast: shrunk rates, the Poisson-binomial band, movers and the walk-forward backtest."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestui.domain import forecast as fc

MONDAY = date(2026, 11, 23)
chances = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=0, max_size=60)


def _group(week: int, kind: str, band: str, held: int, advanced: int, target: int = 0, owner: str = "ann"):  # type: ignore[no-untyped-def]
    return fc.HeldGroup(owner, week, kind, band, fc.Tally(held, advanced, target))


def _call(call_id: int, readiness: int, week: int = 0, kind: str = "demo", owner: str = "ann", account: str = "Acme"):  # type: ignore[no-untyped-def]
    return fc.PlannedCall(
        call_id,
        owner,
        account,
        datetime(2026, 11, 24, 10, tzinfo=UTC) + timedelta(hours=call_id),
        kind,
        readiness,
        week,
    )


# -- the prior --------------------------------------------------------------------------------------
def test_prior_strength_is_named_and_weighs_that_many_calls() -> None:
    assert fc.PRIOR_STRENGTH == 8.0
    # A group with exactly PRIOR_STRENGTH calls lands halfway between its own rate and the prior.
    assert fc.shrink(8, 8, 0.5) == pytest.approx(0.75)
    assert fc.shrink(0, 0, 0.3) == pytest.approx(0.3)  # no calls: the prior itself
    assert fc.shrink(2, 4, 0.5, strength=0) == pytest.approx(0.5)  # no prior: the raw rate
    assert fc.overall_rate(0, 0) == 0.5 and fc.overall_rate(3, 4) == pytest.approx(4 / 6)
    with pytest.raises(ValueError):
        fc.shrink(5, 4, 0.5)
    with pytest.raises(ValueError):
        fc.shrink(1, 4, 1.5)


def test_few_calls_shrink_toward_the_reps_overall_rate() -> None:
    groups = [
        _group(-20, "demo", "high", 40, 30, 20),  # the rep advances 30 of 40 overall ...
        _group(-20, "demo", "low", 2, 0, 0),  # ... and 0 of the 2 poorly prepared demos
    ]
    model = fc.fit(groups)
    low, low_target = model.chances("demo", "low")
    overall = fc.overall_rate(30, 42)
    assert low.calls == 2 and low.value == pytest.approx((0 + 8 * overall) / (2 + 8))
    assert low_target.value == pytest.approx((0 + 8 * fc.overall_rate(20, 42)) / 10)
    high, _ = model.chances("demo", "high")
    assert high.calls == 40 and high.value == pytest.approx((30 + 8 * overall) / 48)
    unseen, _ = model.chances("proposal", "medium")
    assert unseen.calls == 0 and unseen.value == pytest.approx(overall)


def test_in_a_team_a_rep_shrinks_toward_the_teams_same_group() -> None:
    groups = [
        _group(-20, "demo", "high", 50, 45, 30, owner="bob"),
        _group(-20, "demo", "low", 50, 5, 0, owner="bob"),
        _group(-20, "demo", "high", 1, 0, 0, owner="ann"),
    ]
    model = fc.models(groups, frozenset({"ann"}))
    assert model.prior is not None
    team_high, _ = fc.fit(groups).chances("demo", "high")
    mine, _ = model.chances("demo", "high")
    assert mine.calls == 1
    assert mine.value == pytest.approx((0 + 8 * team_high.value) / 9)
    assert mine.value > 0.7  # pulled up by the team's good demos, not down by ann's overall 0 of 1
    assert fc.models(groups, None).prior is None  # the team itself shrinks toward its overall rate


# -- the Poisson-binomial band ----------------------------------------------------------------------
@given(chances)
def test_distribution_matches_the_dp_and_sums_to_one(values: list[float]) -> None:
    first, pmf = fc.distribution(values)
    reference = fc.distribution_dp(values)
    assert math.fsum(pmf) == pytest.approx(1.0, abs=1e-9)
    assert first >= 0 and first + len(pmf) <= len(values) + 1
    for i, mass in enumerate(pmf):
        assert mass == pytest.approx(reference[first + i], abs=1e-12)
    # Whatever was trimmed off either end was negligible.
    assert math.fsum(reference[:first]) + math.fsum(reference[first + len(pmf) :]) < 1e-12


@given(chances)
def test_band_holds_the_sum_and_contains_the_mean(values: list[float]) -> None:
    result = fc.band(values)
    assert result.calls == len(values)
    assert result.expected == pytest.approx(math.fsum(values))
    # The band contains the expected value as it is shown (one decimal).
    assert 0 <= result.low <= round(result.expected, 1) <= result.high <= len(values)
    assert result.low <= result.expected + 0.05 and result.expected - 0.05 <= result.high


@given(chances)
def test_band_is_the_10th_to_90th_percentile(values: list[float]) -> None:
    reference = fc.distribution_dp(values)
    cumulative = [math.fsum(reference[: k + 1]) for k in range(len(reference))]
    low = next(k for k, c in enumerate(cumulative) if c >= 0.1 - 1e-9)
    high = next(k for k, c in enumerate(cumulative) if c >= 0.9 - 1e-9)
    result = fc.band(values)
    shown = round(math.fsum(values), 1)
    # The percentiles, widened only to reach the whole numbers around the mean as shown.
    assert result.low == min(low, math.floor(shown))
    assert result.high == max(high, math.ceil(shown))


def test_exact_small_cases() -> None:
    # Two calls at 50 %: 0, 1, 2 advances with 1/4, 1/2, 1/4.
    first, pmf = fc.distribution([0.5, 0.5])
    assert first == 0 and pmf == pytest.approx([0.25, 0.5, 0.25])
    assert fc.band([0.5, 0.5]) == fc.Band(2, 1.0, 0, 2)
    # 0.2 and 0.5: P(0) = 0.4, P(1) = 0.5, P(2) = 0.1.
    first, pmf = fc.distribution([0.2, 0.5])
    assert first == 0 and pmf == pytest.approx([0.4, 0.5, 0.1])
    assert fc.band([0.2, 0.5]) == fc.Band(2, pytest.approx(0.7), 0, 1)  # type: ignore[arg-type]
    # Certain calls: no spread at all.
    assert fc.band([1.0, 1.0, 1.0]) == fc.Band(3, 3.0, 3, 3)
    assert fc.band([0.0, 0.0]) == fc.Band(2, 0.0, 0, 0)
    assert fc.band([]) == fc.Band(0, 0.0, 0, 0)
    # One nearly certain call: both percentiles are 1, the band widens to 0-1 to hold 0.95.
    assert fc.band([0.95]) == fc.Band(1, 0.95, 0, 1)
    # Ten calls at 50 %: Binomial(10, 0.5) has its 10th percentile at 3 and its 90th at 7.
    assert fc.band([0.5] * 10) == fc.Band(10, 5.0, 3, 7)
    with pytest.raises(ValueError):
        fc.band([1.2])


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=30))
def test_a_rep_whose_calls_always_advance(history: int, planned: int) -> None:
    """Forecast near 1, and the band narrows (never widens) as the track record grows."""
    before = None
    for held in (history, history + 10, history + 100):
        groups = [_group(-20, "demo", "high", held, held, held)] if held else []
        model = fc.fit(groups)
        chance, _ = model.chances("demo", "high")
        assert chance.value >= 1 - 10 / (held + 10)  # (held + 8 x prior) / (held + 8), prior near 1
        result = fc.band([chance.value] * planned)
        width = result.high - result.low
        if before is not None:
            assert width <= before
        before = width
    assert fc.fit([_group(-20, "demo", "high", 1000, 1000, 1000)]).chances("demo", "high")[0].value > 0.99
    final = fc.band([fc.fit([_group(-20, "demo", "high", 10_000, 10_000)]).chances("demo", "high")[0].value] * planned)
    assert final.low == final.high == planned


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["demo", "discovery"]),
            st.sampled_from(["low", "medium", "high", fc.NOT_RECORDED]),
            st.integers(0, 30),
            st.integers(0, 30),
        ),
        max_size=8,
    ),
    st.lists(st.integers(0, 100), max_size=10),
)
def test_probabilities_in_range_and_weeks_sum_the_calls(
    rows: list[tuple[str, str, int, int]], scores: list[int]
) -> None:
    groups = [_group(-20, kind, band, held + adv, adv, min(adv, held)) for kind, band, held, adv in rows]
    model = fc.fit(groups)
    calls = fc.forecast_calls(model, [_call(i, score, week=i % 4) for i, score in enumerate(scores)])
    for forecast in calls:
        assert 0.0 <= forecast.advance.value <= 1.0 and 0.0 <= forecast.target.value <= 1.0
        assert forecast.target.value <= forecast.advance.value + 1e-9 or forecast.advance.calls == 0
    weeks = fc.forecast_weeks(calls, fc.week_starts(MONDAY, 0, 4)[:4])
    assert [w.start for w in weeks] == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    for week in weeks:
        assert week.band.expected == pytest.approx(
            math.fsum(c.advance.value for c in calls if c.call.week == week.week)
        )
        assert week.band.calls == sum(1 for c in calls if c.call.week == week.week)


# -- what would move it -----------------------------------------------------------------------------
def test_movers_name_the_calls_preparation_would_lift_most() -> None:
    groups = [
        _group(-20, "demo", "medium", 13, 5),
        _group(-20, "demo", "high", 14, 10),
        _group(-20, "discovery", "low", 10, 2),
        _group(-20, "discovery", "high", 2, 2),
    ]
    model = fc.fit(groups)
    calls = fc.forecast_calls(
        model,
        [
            _call(1, 57, account="Wayne Retail"),
            _call(2, 30, kind="discovery", account="Umbrella"),
            _call(3, 90, account="Initech"),  # already well prepared: not a mover
        ],
    )
    found = fc.movers(model, calls)
    assert [m.call.account for m in found] == ["Wayne Retail", "Umbrella"]
    wayne = found[0]
    assert wayne.now.calls == 13 and wayne.prepared.calls == 14
    assert wayne.weight == pytest.approx(wayne.gain * 14)
    assert wayne.line == (
        f"Wayne Retail, 57 % ready: calls like it advance {round(wayne.now.value * 100)} % (13 held), "
        f"when ≥ 80 % ready {round(wayne.prepared.value * 100)} % (14 held)"
    )
    # A bigger gain seen on only 2 calls ranks below a smaller one seen on 14.
    assert found[1].gain > wayne.gain
    assert fc.movers(model, calls, limit=1) == found[:1]


# -- the backtest -----------------------------------------------------------------------------------
def test_backtest_forecasts_each_week_from_earlier_calls_only() -> None:
    starts = fc.week_starts(MONDAY, 3, 0)[:3]  # weeks -3, -2, -1
    groups = [
        _group(-3 - fc.HISTORY_WEEKS - 1, "demo", "high", 50, 0),  # too old for any of the weeks
        _group(-3 - fc.HISTORY_WEEKS, "demo", "high", 10, 10),  # read by week -3 only (its window)
        _group(-3, "demo", "high", 2, 2),
        _group(-2, "demo", "high", 4, 0),  # a week that went badly
        _group(-1, "demo", "high", 1, 1),
    ]
    result = fc.backtest(groups, None, starts)
    assert [w.week for w in result.weeks] == [-3, -2, -1]
    first = result.weeks[0]
    # Week -3 is read from the 10 earlier calls only: (10 + 8 x 11/12) / 18.
    p3 = (10 + 8 * fc.overall_rate(10, 10)) / 18
    assert first.band.expected == pytest.approx(2 * p3) and first.actual == 2
    # Week -2 knows week -3's two advances (the 10 earlier calls fell out of its window).
    p2 = (2 + 8 * fc.overall_rate(2, 2)) / 10
    assert result.weeks[1].band.expected == pytest.approx(4 * p2) and result.weeks[1].actual == 0
    assert not result.weeks[1].inside and result.weeks[0].inside
    # Week -1 knows the bad week, and no longer the 10 calls of 26 weeks before week -3: 2 of 6.
    p1 = (2 + 8 * fc.overall_rate(2, 6)) / 14
    assert result.weeks[2].band.expected == pytest.approx(p1)
    assert [w.inside for w in result.weeks] == [True, False, True]
    assert result.inside == 2
    assert result.mae == pytest.approx((abs(2 * p3 - 2) + 4 * p2 + abs(p1 - 1)) / 3)
    brier = (2 * (1 - p3) ** 2 + 4 * p2**2 + (1 - p1) ** 2) / 7
    assert result.brier == pytest.approx(brier)
    assert result.summary == f"2 of 3 past weeks inside the band; MAE {result.mae:.1f} advances; Brier {brier:.2f}"


def test_backtest_skips_empty_weeks_and_says_so_without_any() -> None:
    starts = fc.week_starts(MONDAY, 4, 0)[:4]
    result = fc.backtest([_group(-2, "demo", "low", 1, 0)], None, starts)
    assert [w.week for w in result.weeks] == [-2]
    empty = fc.backtest([], None, starts)
    assert empty.weeks == () and empty.brier is None and empty.mae is None
    assert empty.summary.startswith("No past week")


def test_backtest_of_one_rep_leaves_the_others_calls_out_of_the_weeks() -> None:
    starts = fc.week_starts(MONDAY, 1, 0)[:1]
    groups = [_group(-1, "demo", "high", 3, 3, owner="ann"), _group(-1, "demo", "high", 5, 0, owner="bob")]
    assert fc.backtest(groups, frozenset({"ann"}), starts).weeks[0].actual == 3
    assert fc.backtest(groups, frozenset({"ann"}), starts).weeks[0].band.calls == 3
    assert fc.backtest(groups, None, starts).weeks[0].band.calls == 8


# -- weeks and the whole ----------------------------------------------------------------------------
def test_weeks_start_on_mondays() -> None:
    starts = fc.week_starts(date(2026, 11, 26), 2, 4)  # a Thursday
    assert starts[0] == date(2026, 11, 9) and starts[2] == date(2026, 11, 23) and starts[-1] == date(2026, 12, 21)
    assert len(starts) == 7
    assert fc.week_of(date(2026, 11, 8), starts, 2) == fc.EARLIER
    assert fc.week_of(date(2026, 11, 9), starts, 2) == -2
    assert fc.week_of(date(2026, 11, 29), starts, 2) == 0  # Sunday ends this week
    assert fc.week_of(date(2026, 11, 30), starts, 2) == 1
    assert fc.week_of(date(2026, 12, 21), starts, 2) == fc.LATER


def test_build_puts_it_together() -> None:
    groups = [
        _group(1 - fc.HISTORY_WEEKS, "demo", "high", 20, 15, 10),  # the window: this week and 25 before
        _group(-1, "demo", "medium", 4, 1),
        _group(-fc.HISTORY_WEEKS, "demo", "low", 30, 0),  # older than the window: not read
    ]
    planned = [_call(1, 90, week=0), _call(2, 60, week=1), _call(3, 40, week=3)]
    result = fc.build(groups, planned, frozenset({"ann"}), "ann", MONDAY)
    assert [w.band.calls for w in result.weeks] == [1, 1, 0, 1]
    assert result.total.expected == pytest.approx(sum(c.advance.value for c in result.calls))
    assert result.history == fc.Tally(24, 16, 10)
    assert not result.team_prior
    assert [m.call.call_id for m in result.movers] == [2, 3] or [m.call.call_id for m in result.movers] == [3, 2]
    assert len(result.backtest.weeks) == 1
