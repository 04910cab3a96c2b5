"""Forecast reads: held calls counted in SQL, and the planned calls of the weeks ahead.

Held calls (``rules.held``) are counted by rep, week, call kind, readiness band and how far they
got (an advance; the target or better) in one GROUP BY: a few hundred rows whatever the number
of calls. A held call's week is the week it took place (``rules.happened_at``), its band that of
the readiness frozen when it started (``readiness_at_start``, what stats compare). Planned calls
(``rules.ahead``: planned, not started, no outcome) in the window are few; their readiness is
live, computed from their plans as every list computes it (``convert.summarise``).

The same SQL runs on SQLite and PostgreSQL: the week and band are computed in a subquery and
grouped by name outside it (PostgreSQL cannot match a GROUP BY expression holding bound values).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from salestui.domain import forecast as fc
from salestui.domain.clock import local_zone, now
from salestui.domain.clock import today as local_today
from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.domain.readiness import HIGH_FROM, LOW_BELOW
from salestui.store import rules
from salestui.store import tables as t

if TYPE_CHECKING:
    from salestui.store.core import Store

_call = rules.CALL
_account = rules.ACCOUNT
_advance: sa.Table = t.Advance.__table__  # type: ignore[attr-defined]

MINE = "mine"
TEAM = "team"
"""Scopes besides a rep's name: the rep's own calls (with calls that have no owner), everyone's."""


@dataclass(frozen=True, slots=True)
class ForecastInput:
    """What the forecast is computed from: every rep's held-call counts, the planned calls in scope."""

    me: str
    groups: tuple[fc.HeldGroup, ...]
    planned: tuple[fc.PlannedCall, ...]
    today: date
    weeks: int
    back: int

    @property
    def reps(self) -> tuple[str, ...]:
        """Every rep with a held or planned call, by name."""
        names = {g.owner for g in self.groups} | {c.owner for c in self.planned}
        return tuple(sorted(names, key=lambda name: (name.casefold(), name)))

    @property
    def team(self) -> bool:
        """More than one rep: the manager's view (each rep, and the team)."""
        return fc.is_team(self.groups, self.planned)

    def owners(self, scope: str) -> frozenset[str] | None:
        """The reps a scope covers (``None``: everyone)."""
        if scope == TEAM:
            return None
        return frozenset({self.me if scope == MINE else scope})

    def forecast(self, scope: str = MINE) -> fc.Forecast:
        """The forecast of one scope: ``MINE``, ``TEAM`` or a rep's name."""
        name = "Team" if scope == TEAM else (self.me if scope == MINE else scope)
        return fc.build(
            self.groups, self.planned, self.owners(scope), name, self.today, weeks=self.weeks, back=self.back
        )


def _utc_starts(days: Iterable[date]) -> list[datetime]:
    """Local midnight of each day, with that day's own offset (``zoneinfo``)."""
    zone = local_zone()
    return [datetime.combine(day, time(), tzinfo=zone) for day in days]


def _typed(moment: datetime) -> Any:
    return sa.literal(moment, t.UTCDateTime())


def _week(when: Any, bounds: list[Any], first: int, typed: Any = _typed) -> Any:
    """The index of the week ``when`` falls in (``bounds[i]`` starts week ``first + i``), as nested
    CASEs that halve the weeks at each level: a handful of comparisons per call, not one per week."""
    if len(bounds) == 1:
        return sa.literal_column(str(first))
    middle = len(bounds) // 2
    return sa.case(
        (when < typed(bounds[middle]), _week(when, bounds[:middle], first, typed)),
        else_=_week(when, bounds[middle:], first + middle, typed),
    )


HELD_BY_DAY = sa.table(
    "stats_summary_held",
    *(sa.column(name, sa.String()) for name in ("owner", "day", "kind", "band")),
    *(sa.column(name, sa.Integer()) for name in ("held", "advanced", "reached")),
)
"""Held calls counted by rep, UTC day of ``rules.happened_at``, kind and band (migration 0019_speed)."""


def held_groups(store: Store, starts: list[date], back: int) -> list[fc.HeldGroup]:
    """Held calls of every rep from ``starts[0]`` on, counted by week (``starts[i]`` begins week
    ``i - back``; after the last one, ``LATER``), kind, readiness band and outcome.

    Whole UTC days inside a week are read from ``stats_summary_held`` (kept by triggers: a few
    thousand rows for the 34 weeks the forecast reads, where counting the calls read 15,000 at
    100,000 calls); a UTC day a local week starts inside is counted from its calls
    (``held_calls``), so the weeks are the local ones whatever the zone."""
    bounds = [moment.astimezone(UTC) for moment in _utc_starts(starts)]
    cut = sorted({moment.date() for moment in bounds if moment.timetz() != time(tzinfo=UTC)})
    # The first whole UTC day of each week: a day belongs to the last week whose first day it reaches.
    firsts = [
        (moment.date() if moment.timetz() == time(tzinfo=UTC) else moment.date() + timedelta(days=1)).isoformat()
        for moment in bounds
    ]
    day = HELD_BY_DAY.c.day
    week = sa.case((day >= firsts[-1], fc.LATER), else_=_week(day, firsts[:-1], -back, sa.literal)).label("week")
    summed = (
        sa.select(HELD_BY_DAY.c.owner, week, HELD_BY_DAY.c.kind, HELD_BY_DAY.c.band)
        .add_columns(*(sa.func.sum(HELD_BY_DAY.c[name]) for name in ("held", "advanced", "reached")))
        .where(day >= firsts[0], day.not_in([moment.isoformat() for moment in cut]))
        .group_by(week, HELD_BY_DAY.c.kind, HELD_BY_DAY.c.band, HELD_BY_DAY.c.owner)
    )
    with store.reading() as session:
        found = session.execute(summed).all()
    counts: dict[tuple[str, int, str, str], fc.Tally] = {}
    for owner, week_, kind, band_, held, advanced, reached in found:
        key = (owner or "", int(week_), str(kind), str(band_))
        counts[key] = counts.get(key, fc.Tally()) + fc.Tally(int(held), int(advanced), int(reached))
    if cut:
        days = [
            (datetime.combine(day, time(), tzinfo=UTC), datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC))
            for day in cut
        ]
        for group in held_calls(store, starts, back, days):
            key = (group.owner, group.week, group.kind, group.band)
            counts[key] = counts.get(key, fc.Tally()) + group.tally
    return [
        fc.HeldGroup(_owner(store, owner), week, kind, band_, tally)
        for (owner, week, kind, band_), tally in counts.items()
        if tally != fc.Tally()
    ]


def held_calls(
    store: Store, starts: list[date], back: int, days: list[tuple[datetime, datetime]] | None = None
) -> list[fc.HeldGroup]:
    """``held_groups`` counted from the calls themselves (``days``: only the calls in those ranges),
    with each call's owner as stored ("" for none)."""
    when = rules.happened_at(_call)
    bounds = _utc_starts(starts)
    score = _call.c.readiness_at_start
    band = sa.case(
        (score.is_(None), fc.NOT_RECORDED),
        (score < LOW_BELOW, "low"),
        (score >= HIGH_FROM, "high"),
        else_="medium",
    )
    advanced = sa.case((_call.c.outcome == Outcome.ADVANCE.value, 1), else_=0)
    # The secured advance (at most one per call: ux_advance_one_secured) when it is the target or better.
    reached = sa.case((_advance.c.id.is_not(None), 1), else_=0)
    secured = sa.and_(
        _advance.c.call_id == _call.c.id,
        _advance.c.secured,
        _advance.c.level.in_([AdvanceLevel.STRETCH.value, AdvanceLevel.TARGET.value]),
        _call.c.outcome == Outcome.ADVANCE.value,
    )
    week = sa.case((when >= _typed(bounds[-1]), fc.LATER), else_=_week(when, bounds[:-1], -back))
    rows = (
        sa.select(
            _call.c.owner.label("owner"),
            week.label("week"),
            _call.c.kind.label("kind"),
            band.label("band"),
            advanced.label("advanced"),
            reached.label("reached"),
        )
        .select_from(_call.outerjoin(_advance, secured))
        .where(
            when >= _typed(bounds[0]),
            rules.held(_call),
            *([] if days is None else [sa.or_(*(sa.and_(when >= _typed(a), when < _typed(b)) for a, b in days))]),
        )
        .subquery("held_call")
    )
    query = sa.select(
        rows.c.owner,
        rows.c.week,
        rows.c.kind,
        rows.c.band,
        sa.func.count(),
        sa.func.sum(rows.c.advanced),
        sa.func.sum(rows.c.reached),
        # Week first: grouped by owner first, SQLite walked every call by ix_call_owner instead of
        # reading the weeks asked for from ix_call_happened_id (100 ms against 30 at 100,000 calls).
    ).group_by(rows.c.week, rows.c.kind, rows.c.band, rows.c.owner)
    with store.reading() as session:
        found = session.execute(query).all()
    return [
        fc.HeldGroup(owner or "", int(week_), str(kind), str(band_), fc.Tally(int(held), int(adv), int(target)))
        for owner, week_, kind, band_, held, adv, target in found
    ]


def planned_calls(store: Store, starts: list[date], back: int, owners: frozenset[str] | None) -> list[fc.PlannedCall]:
    """Calls still ahead (``rules.ahead``) from now to the end of the window, of ``owners`` (``None``: all)."""
    moment = now()
    end = _utc_starts([starts[-1]])[0]
    ahead = [rules.ahead(moment, _call), _call.c.scheduled_at.is_not(None), _call.c.scheduled_at < _typed(end)]
    if owners is not None:
        named = set(owners)
        if store.owner in named:
            named.add("")  # calls without an owner are the rep's own (``scope.owner_filter``)
        ahead.append(_call.c.owner.in_(sorted(named)))
    query = (
        sa.select(_call.c.id, _call.c.owner, _account.c.name, _call.c.scheduled_at, _call.c.kind)
        .select_from(_call.join(_account, _account.c.id == _call.c.account_id))
        .where(*ahead)
        .order_by(_call.c.scheduled_at, _call.c.id)
    )
    with store.reading() as session:
        calls = session.execute(query).all()
        scores = readiness_scores(session, sa.select(_call.c.id).where(*ahead)) if calls else {}
    zone = local_zone()
    week_of_day = cache(lambda day: fc.week_of(day, starts, back))  # once per day, not per call

    return [
        fc.PlannedCall(
            call_id=call_id,
            owner=_owner(store, owner),
            account=name,
            scheduled_at=when,
            kind=kind,
            readiness=scores[call_id],
            week=week_of_day(when.astimezone(zone).date()),
        )
        for call_id, owner, name, when, kind in calls
    ]


def readiness_scores(session: Any, ids: Any) -> dict[int, int]:
    """``readiness(plan).score`` of the calls ``ids`` (ids, or a query of them), without loading whole plans.

    Reads only what the score is made of (the plan's fields, its ladder, its objections and
    questions; how many contacts and checklist items, how many done), builds a plan holding just
    that, in the form the score reads it (a field written or not, a ladder rung written, empty
    or reading like a continuation, an objection with a response or not, the kinds of the written
    questions), and scores it with ``readiness`` itself, once per distinct form: the score of 900
    planned calls in tens of milliseconds rather than a second. ``tests/test_forecast_store.py``
    checks it equals the score of the full plan.
    """
    from salestui.domain.continuation import looks_like_continuation
    from salestui.domain.enums import LADDER
    from salestui.domain.readiness import readiness
    from salestui.text import entered

    contact: sa.Table = t.CallContact.__table__  # type: ignore[attr-defined]
    checklist: sa.Table = t.ChecklistItem.__table__  # type: ignore[attr-defined]
    objection: sa.Table = t.Objection.__table__  # type: ignore[attr-defined]
    question: sa.Table = t.Question.__table__  # type: ignore[attr-defined]
    ladder = [level.value for level in LADDER]
    cleaned: dict[str, str] = {}

    def clean(raw: str | None) -> str:
        """Text as the store reads it (``UserText``: ``entered``), once per distinct text."""
        value = raw or ""
        found = cleaned.get(value)
        if found is None:
            found = cleaned[value] = entered(value).strip()
        return found

    def raw(column: Any) -> Any:
        # Read as stored, cleaned by ``clean``: the column's own type cleans every value again.
        return sa.type_coerce(column, sa.String()).label(column.name)

    continuation: dict[str, str] = {}

    def rung(action: str | None) -> str:
        """An action as the score reads it: empty, a continuation, or an advance."""
        text = clean(action)
        if not text:
            return ""
        if text not in continuation:
            continuation[text] = CONTINUATION_ACTION if looks_like_continuation(text) else ADVANCE_ACTION
        return continuation[text]

    advances: dict[int, list[tuple[str, str]]] = {}
    for call_id, level, action in session.execute(
        sa.select(_advance.c.call_id, _advance.c.level, raw(_advance.c.action)).where(
            _advance.c.call_id.in_(ids), _advance.c.level.in_(ladder)
        )
    ):
        advances.setdefault(call_id, []).append((level, rung(action)))
    answered: set[int] = set()
    for call_id, text, response in session.execute(
        sa.select(objection.c.call_id, raw(objection.c.text), raw(objection.c.response)).where(
            objection.c.call_id.in_(ids), sa.not_(objection.c.came_up_unplanned)
        )
    ):
        if clean(text) and clean(response):
            answered.add(call_id)
    asked: dict[int, set[str]] = {}
    for call_id, text, kind in session.execute(
        sa.select(question.c.call_id, raw(question.c.text), question.c.kind).where(question.c.call_id.in_(ids))
    ):
        if clean(text):
            asked.setdefault(call_id, set()).add(kind)
    contacts = dict(
        session.execute(
            sa.select(contact.c.call_id, sa.func.count()).where(contact.c.call_id.in_(ids)).group_by(contact.c.call_id)
        ).all()
    )
    items = {
        call_id: (int(total), int(done))
        for call_id, total, done in session.execute(
            sa.select(checklist.c.call_id, sa.func.count(), rules.tally(checklist.c.done))
            .where(checklist.c.call_id.in_(ids))
            .group_by(checklist.c.call_id)
        )
    }
    fields = sa.select(
        _call.c.id, _call.c.kind, raw(_call.c.objective), raw(_call.c.goal), raw(_call.c.strategy)
    ).where(_call.c.id.in_(ids))
    scored: dict[tuple[Any, ...], int] = {}
    out: dict[int, int] = {}
    for call_id, kind, objective, goal, strategy in session.execute(fields):
        # Everything the score reads, as it reads it: equal keys, equal scores.
        key = (
            kind,
            bool(clean(objective)),
            bool(clean(goal)),
            bool(clean(strategy)),
            bool(contacts.get(call_id)),
            items.get(call_id, (0, 0)),
            call_id in answered,
            tuple(sorted(advances.get(call_id, ()))),
            tuple(sorted(asked.get(call_id, ()))),
        )
        score = scored.get(key)
        if score is None:
            score = scored[key] = readiness(_plan(*key)).score
        out[call_id] = score
    return out


def _plan(
    kind: str,
    objective: bool,
    goal: bool,
    strategy: bool,
    contacts: bool,
    checklist: tuple[int, int],
    answered: bool,
    advances: tuple[tuple[str, str], ...],
    questions: tuple[str, ...],
) -> Any:
    """A plan holding just what the readiness score reads (``readiness_scores``)."""
    from salestui.domain import models as m
    from salestui.domain.enums import CallKind, CallStatus, QuestionKind

    total, done = checklist
    return m.CallPlan(
        id=0,
        account_id=0,
        account_name="",
        scheduled_at=None,
        kind=CallKind(kind),
        status=CallStatus.PLANNED,
        objective="written" if objective else "",
        goal="written" if goal else "",
        strategy="written" if strategy else "",
        contact_ids=(0,) if contacts else (),
        checklist=tuple(m.ChecklistItem(i, i, "", i < done) for i in range(total)),
        objections=(m.Objection(0, "objection", "response"),) if answered else (),
        advances=tuple(m.Advance(0, AdvanceLevel(level), action) for level, action in advances),
        questions=tuple(m.Question(0, "question", QuestionKind(kind)) for kind in questions),
    )


ADVANCE_ACTION = "Agrees to a 30-day pilot"
CONTINUATION_ACTION = "Send them a brochure"
"""A ladder action as the readiness score reads it: a customer commitment, or a continuation."""


def _owner(store: Store, owner: str | None) -> str:
    """A call's rep; a call without an owner is the rep's own (``scope.owner_filter``)."""
    return owner if owner else store.owner


def read(
    store: Store,
    weeks: int = fc.WEEKS,
    scope: str | None = None,
    back: int = fc.BACKTEST_WEEKS,
) -> ForecastInput:
    """Everything a forecast needs: every rep's held counts, and the planned calls of ``scope``
    (``MINE``, ``TEAM``, a rep's name; ``None``: everyone's, to switch between reps on screen)."""
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    today = local_today()
    starts = fc.week_starts(today, back, weeks)
    owners = None if scope is None or scope == TEAM else frozenset({store.owner if scope == MINE else scope})
    # Both reads at once: the count runs inside the database (which lets go of the interpreter)
    # while this thread scores the planned calls, so the two take the time of the longer one.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="forecast") as pool:
        # The backtest's first week reads the HISTORY_WEEKS before it.
        counted = pool.submit(
            held_groups, store, fc.week_starts(today, back + fc.HISTORY_WEEKS, weeks), back + fc.HISTORY_WEEKS
        )
        planned = planned_calls(store, starts, back, owners)
        groups = counted.result()
    return ForecastInput(store.owner, tuple(groups), tuple(planned), today, weeks, back)
