"""The calibrated ladder: rungs of held calls, the thresholds, and the one-line readings."""

from __future__ import annotations

import pytest

from salestui.domain.calibration import (
    FALLBACK_TOO_OFTEN,
    MIN_CALLS,
    STRETCH_TOO_OFTEN,
    LadderRow,
    calibrate,
    calibrate_by_key,
    rung_of,
)
from salestui.domain.enums import AdvanceLevel, Outcome


def _group(**counts: int):  # type: ignore[no-untyped-def]
    return calibrate([LadderRow("all", rung, n) for rung, n in counts.items()])


def test_rung_of_each_outcome() -> None:
    assert rung_of(Outcome.ADVANCE, AdvanceLevel.STRETCH) == "stretch"
    assert rung_of(Outcome.ADVANCE, AdvanceLevel.FALLBACK) == "fallback"
    assert rung_of(Outcome.ADVANCE, AdvanceLevel.UNPLANNED) == "unplanned"
    assert rung_of(Outcome.ADVANCE, None) == "unplanned"
    assert rung_of(Outcome.CONTINUATION, None) == "continuation"
    assert rung_of(Outcome.LOST, None) == "lost"
    assert rung_of(Outcome.CANCELLED, None) is None and rung_of(None, None) is None


def test_counts_and_rates() -> None:
    group = _group(stretch=2, target=5, fallback=1, unplanned=1, continuation=1)
    assert group.held == 10
    assert group.rate("target") == 0.5 and group.rate("lost") == 0.0
    assert [r for r, _ in group.counts] == ["stretch", "target", "fallback", "unplanned", "continuation", "lost"]
    assert calibrate([]).rate("stretch") is None


def test_too_few_calls_are_not_read() -> None:
    assert _group(stretch=4).reading == f"4 held calls: too few to read (needs {MIN_CALLS})"
    assert _group(stretch=1).reading.startswith("1 held call:")


@pytest.mark.parametrize(
    ("counts", "reading"),
    [
        ({"stretch": 5, "target": 2, "fallback": 1}, "stretch reached in 62 % of calls: aim higher"),
        ({"stretch": 5, "target": 5}, "stretch reached in 50 % of calls: aim higher"),
        ({"stretch": 4, "target": 6}, "target reached or beaten in 100 % of calls: the ladder is calibrated"),
        ({"target": 13, "fallback": 12}, "fallback only in 48 % of calls: prepare the target better"),
        ({"target": 6, "fallback": 4}, "fallback only in 40 % of calls: prepare the target better"),
        ({"target": 7, "fallback": 3}, "target reached or beaten in 70 % of calls: the ladder is calibrated"),
        (
            {"target": 7, "continuation": 3},
            "no advance in 30 % of calls: plan a fallback you can always ask for",
        ),
        (
            {"target": 4, "unplanned": 3, "lost": 3},
            "target reached or beaten in 40 % of calls: the ladder is calibrated",
        ),
    ],
)
def test_readings_at_and_around_the_thresholds(counts: dict[str, int], reading: str) -> None:
    assert _group(**counts).reading == reading


def test_stretch_is_read_before_fallback() -> None:
    assert STRETCH_TOO_OFTEN > FALLBACK_TOO_OFTEN
    assert "aim higher" in _group(stretch=5, fallback=5).reading


def test_by_key_keeps_first_seen_order() -> None:
    rows = [LadderRow("2026-11", "target", 3), LadderRow("2026-10", "stretch", 1), LadderRow("2026-11", "lost", 1)]
    groups = calibrate_by_key(rows)
    assert [(g.key, g.held) for g in groups] == [("2026-11", 4), ("2026-10", 1)]
