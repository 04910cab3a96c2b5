"""Carry-over rules: what a debriefed call hands on to the next plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from salestui.domain.carryover import carry_over, follow_up_at, is_unresolved
from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, Handling, Outcome
from salestui.domain.models import Advance, CallPlan, Debrief, Objection

S, T, F, U = AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK, AdvanceLevel.UNPLANNED


def objection(oid: int, text: str, raised: bool, handling: Handling, unplanned: bool = False) -> Objection:
    return Objection(
        id=oid, text=text, response=f"answer {oid}", raised=raised, handling=handling, came_up_unplanned=unplanned
    )


def call(
    outcome: Outcome | None,
    secured: AdvanceLevel | None = None,
    objections: tuple[Objection, ...] = (),
    lessons: str = "Bring the CFO\n\n  Price comes up early  ",
    do_differently: str = "Ask about budget",
    debriefed: bool = True,
    finished: bool = True,
) -> CallPlan:
    advances = [
        Advance(id=i, level=level, action=f"{level.value} act", secured=level is secured)
        for i, level in enumerate((F, S, T))
    ]
    if secured is U:
        advances.append(Advance(id=7, level=U, action="offered", secured=True))
    return CallPlan(
        id=5,
        account_id=1,
        account_name="Acme",
        scheduled_at=None,
        kind=CallKind.DEMO,
        status=CallStatus.CANCELLED if outcome is Outcome.CANCELLED else CallStatus.DONE,
        objections=objections,
        advances=tuple(advances),
        outcome=outcome,
        debrief=Debrief(
            id=1,
            call_id=5,
            lessons=lessons,
            do_differently=do_differently,
            finished_at=datetime(2026, 11, 20, 10, tzinfo=UTC) if finished else None,
        )
        if debriefed
        else None,
    )


def levels(plan: CallPlan) -> list[AdvanceLevel]:
    return [a.level for a in carry_over(plan).open_advances]


def test_nothing_without_a_debrief():
    assert carry_over(None).empty
    carried = carry_over(call(Outcome.CONTINUATION, debriefed=False))
    assert carried.empty and carried.from_call_id is None


def test_nothing_from_a_draft_debrief():
    carried = carry_over(call(Outcome.CONTINUATION, finished=False))
    assert carried.empty and carried.from_call_id is None


def test_lessons_and_do_differently_are_non_blank_lines():
    carried = carry_over(call(Outcome.CONTINUATION))
    assert carried.from_call_id == 5
    assert carried.lessons == ("Bring the CFO", "Price comes up early")
    assert carried.do_differently == ("Ask about budget",)


def test_unresolved_objections_are_raised_and_not_handled_well():
    assert is_unresolved(objection(1, "x", True, Handling.RAISED))
    assert is_unresolved(objection(1, "x", True, Handling.BADLY))
    assert not is_unresolved(objection(1, "x", True, Handling.WELL))
    assert not is_unresolved(objection(1, "x", False, Handling.NOT_RAISED))
    # a handling judgement implies it was raised, whatever the flag says
    assert is_unresolved(objection(1, "x", False, Handling.BADLY))


def test_objections_carried():
    objections = (
        objection(1, "Too expensive", True, Handling.BADLY),
        objection(2, "Not this quarter", True, Handling.WELL),
        objection(3, "What if it fails?", False, Handling.NOT_RAISED),
        objection(4, "Security review", True, Handling.RAISED, unplanned=True),
        objection(5, "  too   EXPENSIVE ", True, Handling.RAISED),  # same concern again
        objection(6, "   ", True, Handling.BADLY),
    )
    carried = carry_over(call(Outcome.ADVANCE, T, objections))
    assert [o.text for o in carried.open_objections] == ["Too expensive", "Security review"]
    assert carried.open_objections[0].response == "answer 1"


def test_after_a_cancelled_call_every_planned_objection_still_applies():
    objections = (
        objection(1, "Too expensive", False, Handling.NOT_RAISED),
        objection(2, "Timing", False, Handling.NOT_RAISED),
    )
    carried = carry_over(call(Outcome.CANCELLED, objections=objections))
    assert [o.text for o in carried.open_objections] == ["Too expensive", "Timing"]
    assert levels(call(Outcome.CANCELLED)) == [S, T, F]


def test_rungs_above_the_secured_one_stay_open():
    assert levels(call(Outcome.ADVANCE, F)) == [S, T]
    assert levels(call(Outcome.ADVANCE, T)) == [S]
    assert levels(call(Outcome.ADVANCE, S)) == []


def test_continuation_and_lost_keep_the_whole_ladder_open():
    assert levels(call(Outcome.CONTINUATION)) == [S, T, F]
    assert levels(call(Outcome.LOST)) == [S, T, F]
    assert levels(call(None)) == [S, T, F]


def test_unplanned_advance_is_off_the_ladder_so_every_rung_stays_open():
    carried = carry_over(call(Outcome.ADVANCE, U))
    assert [a.level for a in carried.open_advances] == [S, T, F]
    assert all(a.action != "offered" for a in carried.open_advances)


def test_a_stale_secured_flag_without_an_advance_outcome_does_not_close_rungs():
    # Only an "advance" outcome secures a rung; a leftover flag on a lost call closes nothing.
    assert levels(call(Outcome.LOST, T)) == [S, T, F]


def test_follow_up_time_is_nine_local_or_the_next_hour_today():
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert follow_up_at(date(2026, 11, 30), now, UTC) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert follow_up_at(date(2026, 11, 23), now, UTC) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    early = datetime(2026, 11, 23, 7, 10, tzinfo=UTC)
    assert follow_up_at(date(2026, 11, 23), early, UTC) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    zone = timezone(timedelta(hours=-5))
    moment = follow_up_at(date(2026, 12, 1), now, zone)
    assert moment.utcoffset() == timedelta(hours=-5) and (moment.hour, moment.day) == (9, 1)
