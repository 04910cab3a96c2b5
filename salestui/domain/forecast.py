"""Forecast: what the coming weeks will bring, from the rep's own held calls.

A planned call's chance of an advance (and of reaching the target or better) is read from the
rep's held calls of the same kind and readiness band, shrunk toward the rep's overall rate when
that group holds few calls (a Beta-binomial estimate: the overall rate counts as
``PRIOR_STRENGTH`` calls). With several reps in the database (a team), a rep's group is shrunk
toward the team's rate of the same kind and band instead, itself shrunk toward the team's
overall rate. Each probability carries the number of held calls behind it.

A week's advances are a sum of independent yes/no calls with different chances: a
Poisson-binomial variable. Its exact distribution comes from the DP convolution (calls that
share a probability are convolved as one binomial); the band is its 10th to 90th percentile.

The backtest walks forward over the past weeks: each week is forecast from the calls held
before it only, then compared with what happened (weeks inside the band, mean absolute error of
expected against actual advances, Brier score of the call probabilities).

Pure functions: the store counts held calls in SQL (``salestui.store.forecast``).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from salestui.domain.enums import CallKind, label
from salestui.domain.readiness import HIGH_FROM, band_of

PRIOR_STRENGTH = 8.0
"""How many held calls the prior rate weighs: a kind-and-band group with 8 held calls of its own
lands halfway between its own rate and the rate it is shrunk toward."""
WEEKS = 4
"""Weeks forecast by default: this one (what is left of it) and the next three."""
BACKTEST_WEEKS = 8
"""Past weeks the backtest walks over."""
HISTORY_WEEKS = 26
"""Weeks of held calls a forecast is read from (the half-year before the week it forecasts): older
calls describe a rep who prepared differently, and reading them all would cost time at 100,000 calls."""
LOW_PERCENTILE = 0.10
HIGH_PERCENTILE = 0.90
PREPARED = "high"
"""The readiness band of well-prepared calls (``readiness.HIGH_FROM`` and above)."""
NOT_RECORDED = "not recorded"
"""Band of a held call whose readiness was never frozen (it was not started in the app)."""
EARLIER = -10_000
"""Week index of held calls older than the backtest window."""
LATER = 10_000
"""Week index of held calls after the forecast window (a call held early)."""
MOVERS = 5
"""At most this many calls in "what would move it"."""
TRIM = 1e-15
"""Probabilities below this at either end of a distribution are dropped while convolving (exact
to well past what a percentile can notice, and it keeps 500 calls a week fast)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Held calls of a group: how many, how many secured an advance, how many the target or better."""

    held: int = 0
    advanced: int = 0
    target: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.held + other.held, self.advanced + other.advanced, self.target + other.target)


@dataclass(frozen=True, slots=True)
class HeldGroup:
    """Held calls of one rep, week, call kind and readiness band (one row the store counts in SQL).

    ``week`` counts from this week (0): -1 is last week, and so on.
    ``band`` is the band of the readiness frozen when the call started (``NOT_RECORDED`` if never).
    """

    owner: str
    week: int
    kind: str
    band: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """A call still ahead in the forecast window, with its readiness now."""

    call_id: int
    owner: str
    account: str
    scheduled_at: datetime
    kind: str
    readiness: int
    week: int
    """0 for this week, 1 for next week, ..."""

    @property
    def band(self) -> str:
        """Readiness band of the plan as it stands."""
        return band_of(self.readiness)


@dataclass(frozen=True, slots=True)
class Probability:
    """A chance from 0 to 1 and the number of held calls it was read from (0: the prior alone)."""

    value: float
    calls: int


@dataclass(frozen=True, slots=True)
class CallForecast:
    """One planned call's chances: an advance, and the target or better."""

    call: PlannedCall
    advance: Probability
    target: Probability


@dataclass(frozen=True, slots=True)
class Band:
    """Expected advances of a set of calls and the 10th-90th percentile band around it."""

    calls: int
    expected: float
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class WeekForecast:
    """One week ahead: its planned calls, expected advances and band."""

    week: int
    start: date
    band: Band


@dataclass(frozen=True, slots=True)
class Mover:
    """A call more preparation would lift: its chance now, and that of well-prepared calls like it."""

    call: PlannedCall
    now: Probability
    prepared: Probability

    @property
    def gain(self) -> float:
        """How much the chance of an advance would rise."""
        return self.prepared.value - self.now.value

    @property
    def weight(self) -> float:
        """Gain times the well-prepared calls behind it: a big lift seen on many calls first."""
        return self.gain * self.prepared.calls

    @property
    def line(self) -> str:
        """``Wayne Retail, 57 % ready: calls like it advance 38 % (9 held), when ≥ 80 % ready 71 % (14 held)``."""
        return (
            f"{self.call.account}, {self.call.readiness} % ready: calls like it advance {pct(self.now.value)}"
            f" ({held(self.now.calls)}), when ≥ {HIGH_FROM} % ready {pct(self.prepared.value)}"
            f" ({held(self.prepared.calls)})"
        )


@dataclass(frozen=True, slots=True)
class BacktestWeek:
    """A past week as the forecast would have seen it, and what happened."""

    week: int
    start: date
    band: Band
    actual: int

    @property
    def inside(self) -> bool:
        """The advances that happened fell inside the band."""
        return self.band.low <= self.actual <= self.band.high


@dataclass(frozen=True, slots=True)
class Backtest:
    """How honest past forecasts were: the weeks with held calls, and the Brier score of their calls."""

    weeks: tuple[BacktestWeek, ...]
    brier: float | None
    """Mean squared difference between each call's chance and its outcome (0 perfect; 0.25 a coin)."""

    @property
    def inside(self) -> int:
        """Weeks whose advances fell inside the band."""
        return sum(1 for w in self.weeks if w.inside)

    @property
    def mae(self) -> float | None:
        """Mean absolute error of expected against actual advances per week."""
        if not self.weeks:
            return None
        return sum(abs(w.band.expected - w.actual) for w in self.weeks) / len(self.weeks)

    @property
    def summary(self) -> str:
        """``7 of 8 past weeks inside the band; MAE 0.6 advances; Brier 0.19``."""
        if not self.weeks:
            return "No past week with held calls to check the forecast against yet."
        weeks = len(self.weeks)
        return (
            f"{self.inside} of {weeks} past week{'s' if weeks != 1 else ''} inside the band; "
            f"MAE {self.mae or 0.0:.1f} advances; Brier {self.brier or 0.0:.2f}"
        )


@dataclass(frozen=True, slots=True)
class Forecast:
    """Everything the forecast shows for one rep (or the team)."""

    owner: str
    weeks: tuple[WeekForecast, ...]
    calls: tuple[CallForecast, ...]
    movers: tuple[Mover, ...]
    backtest: Backtest
    history: Tally
    """The held calls the forecast was read from."""
    team_prior: bool = False
    """Shrunk toward the team's rates (several reps) rather than the rep's own overall rate."""
    total: Band = field(default_factory=lambda: Band(0, 0.0, 0, 0))
    """All weeks together."""


# -- numbers --------------------------------------------------------------------------------------
def pct(value: float | None) -> str:
    """``38 %`` (a dash for nothing)."""
    return "—" if value is None else f"{round(value * 100)} %"


def held(calls: int) -> str:
    """``9 held`` / ``1 held`` / ``none held``."""
    return "none held" if calls == 0 else f"{calls:,} held"


def shrink(successes: int, trials: int, prior_mean: float, strength: float = PRIOR_STRENGTH) -> float:
    """Posterior mean of a rate under a Beta prior of mean ``prior_mean`` worth ``strength`` calls."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"{successes} successes of {trials} trials")
    if not 0.0 <= prior_mean <= 1.0:
        raise ValueError(f"prior mean {prior_mean} is outside 0-1")
    if strength < 0 or (strength == 0 and trials == 0):
        raise ValueError("a rate needs calls or a prior")
    return (successes + strength * prior_mean) / (trials + strength)


def overall_rate(successes: int, trials: int) -> float:
    """A whole history's rate, from an even prior worth two calls (0.5 with no call at all)."""
    return shrink(successes, trials, 0.5, 2.0)


SCALE_BITS = 62
"""Fixed point of the convolution: probabilities are whole multiples of 2**-62."""
_ONE = 1 << SCALE_BITS
_HALF = 1 << (SCALE_BITS - 1)
_TRIM_FIXED = int(TRIM * _ONE)

Pmf = tuple[int, list[int]]
"""A distribution as (first count, fixed-point probabilities from it)."""


def _binomial(p: float, count: int) -> Pmf:
    """Binomial(count, p): (first k, fixed-point probabilities from it), negligible tails dropped."""
    if p <= 0.0:
        return 0, [_ONE]
    if p >= 1.0:
        return count, [_ONE]
    # From the most likely count outward, each term from its neighbour: one exp and no lgamma per term.
    mode = min(count, int((count + 1) * p))
    odds = p / (1.0 - p)
    peak = math.exp(
        math.lgamma(count + 1)
        - math.lgamma(mode + 1)
        - math.lgamma(count - mode + 1)
        + mode * math.log(p)
        + (count - mode) * math.log1p(-p)
    )
    values = [0.0] * (count + 1)
    values[mode] = peak
    for k in range(mode, count):
        values[k + 1] = values[k] * (count - k) / (k + 1) * odds
        if values[k + 1] < TRIM:
            break
    for k in range(mode, 0, -1):
        values[k - 1] = values[k] * k / (count - k + 1) / odds
        if values[k - 1] < TRIM:
            break
    pmf = [round(v * _ONE) for v in values]
    return _trimmed(0, pmf)


def _trimmed(first: int, pmf: list[int]) -> Pmf:
    start, end = 0, len(pmf)
    while end - start > 1 and pmf[end - 1] < _TRIM_FIXED:
        end -= 1
    while end - start > 1 and pmf[start] < _TRIM_FIXED:
        start += 1
    return first + start, pmf[start:end]


def _pack(pmf: list[int]) -> int:
    """Coefficients as the 128-bit digits of one number (each in the low half of its digit)."""
    words = array("Q", bytes(16 * len(pmf)))
    words[0::2] = array("Q", pmf)
    return int.from_bytes(words.tobytes(), "little")


def _convolve(a: Pmf, b: Pmf) -> Pmf:
    """The distribution of the sum: the convolution of the two, by one big-integer product.

    Each distribution is packed as a number whose 128-bit digits are its coefficients, so the
    product's digits are exactly the convolution's sums (Kronecker substitution): every product
    and sum of the DP, done by the interpreter's multiplication in C rather than a Python loop.
    A digit never overflows: it is at most (sum of a) x (largest b) <= 2**124. It is rounded back
    to 62-bit fixed point after.
    """
    (a_at, a_pmf), (b_at, b_pmf) = a, b
    size = len(a_pmf) + len(b_pmf) - 1
    words = array("Q")
    words.frombytes((_pack(a_pmf) * _pack(b_pmf)).to_bytes(16 * size, "little"))
    out = [(high << 2) + ((low + _HALF) >> SCALE_BITS) for low, high in zip(words[0::2], words[1::2], strict=True)]
    return _trimmed(a_at + b_at, out)


def distribution(chances: Iterable[float]) -> tuple[int, list[float]]:
    """The exact Poisson-binomial distribution of the number of successes among independent calls.

    Returns ``(first, pmf)``: ``pmf[i]`` is the probability of ``first + i`` successes (tails below
    ``TRIM`` dropped, 64-bit fixed point inside). Calls of equal chance are convolved as one
    binomial, the smallest two distributions first; the result equals convolving the calls one by
    one (``distribution_dp``, which the tests compare it with).
    """
    counts: dict[float, int] = {}
    for p in chances:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p} is outside 0-1")
        counts[p] = counts.get(p, 0) + 1
    parts = [(len(pmf[1]), i, pmf) for i, pmf in enumerate(_binomial(p, n) for p, n in sorted(counts.items()))]
    if not parts:
        return 0, [1.0]
    heapq.heapify(parts)
    serial = len(parts)
    while len(parts) > 1:
        _, _, a = heapq.heappop(parts)
        _, _, b = heapq.heappop(parts)
        merged = _convolve(a, b)
        heapq.heappush(parts, (len(merged[1]), serial, merged))
        serial += 1
    first, fixed = parts[0][2]
    return first, [v / _ONE for v in fixed]


def distribution_dp(chances: Iterable[float]) -> list[float]:
    """The Poisson-binomial distribution by the textbook DP, one call at a time (the reference)."""
    pmf = [1.0]
    for p in chances:
        pmf = [
            (pmf[k] if k < len(pmf) else 0.0) * (1.0 - p) + (pmf[k - 1] * p if k else 0.0) for k in range(len(pmf) + 1)
        ]
    return pmf


def percentile(dist: tuple[int, list[float]], q: float) -> int:
    """The smallest count whose cumulative probability reaches ``q``."""
    first, pmf = dist
    total = sum(pmf)
    running = 0.0
    for i, mass in enumerate(pmf):
        running += mass / total
        if running >= q - 1e-12:
            return first + i
    return first + len(pmf) - 1


def band(chances: Sequence[float]) -> Band:
    """Expected successes (the sum of the chances) and the 10th-90th percentile band.

    A percentile can fall on the far side of the mean when one call is nearly certain (one call
    at 95 %: both percentiles are 1); the band is then widened to the whole numbers around the
    mean as shown (to one decimal), so it always contains the expected value it is shown with.
    """
    expected = math.fsum(chances)
    shown = round(expected, 1)
    dist = distribution(chances)
    low = min(percentile(dist, LOW_PERCENTILE), math.floor(shown))
    high = max(percentile(dist, HIGH_PERCENTILE), math.ceil(shown))
    return Band(len(chances), expected, low, high)


# -- the model ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Model:
    """Held calls by (kind, band), with the rates each group is shrunk toward."""

    groups: Mapping[tuple[str, str], Tally]
    overall: Tally
    prior: Model | None = None
    """The team's model in a team: a group shrinks toward the team's same group."""
    strength: float = PRIOR_STRENGTH

    def chances(self, kind: str, readiness_band: str) -> tuple[Probability, Probability]:
        """Chance of an advance and of the target or better for a call of this kind and band."""
        tally = self.groups.get((kind, readiness_band), Tally())
        if self.prior is not None:
            advance_prior, target_prior = (p.value for p in self.prior.chances(kind, readiness_band))
        else:
            advance_prior = overall_rate(self.overall.advanced, self.overall.held)
            target_prior = overall_rate(self.overall.target, self.overall.held)
        return (
            Probability(shrink(tally.advanced, tally.held, advance_prior, self.strength), tally.held),
            Probability(shrink(tally.target, tally.held, target_prior, self.strength), tally.held),
        )


def fit(groups: Iterable[HeldGroup], prior: Model | None = None, strength: float = PRIOR_STRENGTH) -> Model:
    """The model of these held calls (any owners and weeks: filter before)."""
    found: dict[tuple[str, str], list[int]] = {}
    held = advanced = target = 0
    for group in groups:
        tally = group.tally
        cell = found.get((group.kind, group.band))
        if cell is None:
            cell = found[group.kind, group.band] = [0, 0, 0]
        cell[0] += tally.held
        cell[1] += tally.advanced
        cell[2] += tally.target
        held += tally.held
        advanced += tally.advanced
        target += tally.target
    return Model({key: Tally(*cell) for key, cell in found.items()}, Tally(held, advanced, target), prior, strength)


def window(groups: Iterable[HeldGroup], before: int) -> list[HeldGroup]:
    """The held calls a forecast of week ``before`` reads: those of the ``HISTORY_WEEKS`` weeks before it."""
    return [g for g in groups if before - HISTORY_WEEKS <= g.week < before]


def models(groups: Sequence[HeldGroup], owners: frozenset[str] | None, before: int | None = None) -> Model:
    """The model of ``owners``' calls (``None``: everyone's) in the ``window`` before week ``before``
    (``None``: all of ``groups``).

    With calls of more than one rep in ``groups`` and one rep asked for, the rep's groups shrink
    toward the team's (the team's toward its overall rate).
    """
    kept = list(groups) if before is None else window(groups, before)
    reps = {g.owner for g in kept}
    team = fit(kept)
    if owners is None or len(reps | set(owners)) <= 1:
        return team if owners is None else fit(g for g in kept if g.owner in owners)
    return fit((g for g in kept if g.owner in owners), prior=team)


def is_team(groups: Iterable[HeldGroup], planned: Iterable[PlannedCall] = ()) -> bool:
    """More than one rep held or planned calls: rates shrink toward the team's."""
    return len({g.owner for g in groups} | {c.owner for c in planned}) > 1


# -- forecast, movers, backtest -------------------------------------------------------------------
def forecast_calls(model: Model, planned: Iterable[PlannedCall]) -> tuple[CallForecast, ...]:
    """Each planned call's chances, soonest first."""
    out = []
    chances = cache(model.chances)  # each (kind, band) once: a few dozen for a thousand calls
    for call in sorted(planned, key=lambda c: (c.scheduled_at, c.call_id)):
        advance, target = chances(call.kind, call.band)
        out.append(CallForecast(call, advance, target))
    return tuple(out)


def forecast_weeks(calls: Sequence[CallForecast], starts: Sequence[date]) -> tuple[WeekForecast, ...]:
    """One line per week starting at ``starts`` (week 0 first), every week even without calls."""
    return tuple(
        WeekForecast(week, start, band([c.advance.value for c in calls if c.call.week == week]))
        for week, start in enumerate(starts)
    )


def movers(model: Model, calls: Iterable[CallForecast], limit: int = MOVERS) -> tuple[Mover, ...]:
    """Calls below the well-prepared band that preparation would lift most (gain x calls behind it)."""
    found = []
    chances = cache(model.chances)
    for forecast in calls:
        if forecast.call.band == PREPARED:
            continue
        prepared, _ = chances(forecast.call.kind, PREPARED)
        mover = Mover(forecast.call, forecast.advance, prepared)
        if mover.gain > 0 and prepared.calls > 0:
            found.append(mover)
    found.sort(key=lambda m: (-m.weight, -m.gain, m.call.scheduled_at, m.call.call_id))
    return tuple(found[:limit])


def backtest(
    groups: Sequence[HeldGroup], owners: frozenset[str] | None, starts: Sequence[date], team: bool = False
) -> Backtest:
    """Walk forward over past weeks (``starts[i]`` is week ``-len(starts) + i``): each week is forecast
    from the calls held in the ``window`` before it only; weeks without a held call are skipped."""
    weeks = []
    squares = 0.0
    scored = 0
    first = -len(starts)
    for offset, start in enumerate(starts):
        week = first + offset
        mine = [g for g in groups if g.week == week and (owners is None or g.owner in owners)]
        if not any(g.tally.held for g in mine):
            continue
        history = window(groups, week)
        model = (
            models(history, owners, None) if team else fit(g for g in history if owners is None or g.owner in owners)
        )
        chances: list[float] = []
        actual = 0
        for group in mine:
            p, _ = model.chances(group.kind, group.band)
            tally = group.tally
            chances.extend([p.value] * tally.held)
            actual += tally.advanced
            squares += tally.advanced * (1.0 - p.value) ** 2 + (tally.held - tally.advanced) * p.value**2
            scored += tally.held
        weeks.append(BacktestWeek(week, start, band(chances), actual))
    return Backtest(tuple(weeks), squares / scored if scored else None)


def week_starts(today: date, back: int, ahead: int) -> list[date]:
    """Mondays from ``back`` weeks before this week's to ``ahead`` weeks after it (``back + ahead + 1``
    dates: the last one ends the forecast window)."""
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(weeks=i) for i in range(-back, ahead + 1)]


def week_of(moment_day: date, starts: Sequence[date], back: int) -> int:
    """The week index (0 this week) of a day, by the Mondays of ``week_starts(today, back, ...)``."""
    if moment_day < starts[0]:
        return EARLIER
    for i in range(1, len(starts)):
        if moment_day < starts[i]:
            return i - 1 - back
    return LATER


def build(
    groups: Sequence[HeldGroup],
    planned: Sequence[PlannedCall],
    owners: frozenset[str] | None,
    name: str,
    today: date,
    weeks: int = WEEKS,
    back: int = BACKTEST_WEEKS,
) -> Forecast:
    """The forecast of ``owners``' planned calls (``None``: the team's), with its backtest.

    The weeks ahead are read from the ``window`` that ends with this week (its calls held so far).
    """
    team = is_team(groups, planned)
    recent = window(groups, 1)
    model = models(recent, owners) if team else fit(g for g in recent if owners is None or g.owner in owners)
    mine = [c for c in planned if owners is None or c.owner in owners]
    starts = week_starts(today, back, weeks)
    calls = forecast_calls(model, mine)
    ahead = forecast_weeks(calls, starts[back : back + weeks])
    history = sum((g.tally for g in recent if owners is None or g.owner in owners), Tally())
    return Forecast(
        owner=name,
        weeks=ahead,
        calls=calls,
        movers=movers(model, calls),
        backtest=backtest(groups, owners, starts[:back], team=team and owners is not None),
        history=history,
        team_prior=team and owners is not None,
        total=band([c.advance.value for c in calls if 0 <= c.call.week < weeks]),
    )


def kind_label(kind: str) -> str:
    """``Check-in`` for ``check_in``; an unknown kind as stored."""
    try:
        return label(CallKind(kind))
    except ValueError:
        return kind
