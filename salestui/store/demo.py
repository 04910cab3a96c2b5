"""A realistic demo dataset, with dates relative to ``now`` so it always looks current."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from salestui.domain.clock import now as clock_now
from salestui.domain.enums import AdvanceLevel, CallKind, Handling, Outcome
from salestui.domain.questions import bank

if TYPE_CHECKING:
    from salestui.store.core import Store

ACCOUNTS = [
    {
        "name": "Initech",
        "industry": "Software",
        "status": "customer",
        "website": "initech.example",
        "city": "Austin",
        "contacts": [
            ("Bill Lumbergh", "VP Operations", "decision_maker"),
            ("Peter Gibbons", "Software engineer", "user"),
            ("Joanna Park", "IT lead", "technical"),
        ],
        "notes": [
            ("customer", "Rolling out a new TPS reporting process across 3 offices; budget approved for Q1."),
            ("product_fit", "Our workflow module replaces their spreadsheet hand-offs; SSO needed."),
            ("competitor", "Currently on Globex Flow, renewal due in March."),
            ("industry", "Mid-size software firms are consolidating tools after the 2025 budget cuts."),
        ],
        "comparison": (
            "Globex Flow",
            "Cheap, already installed",
            "No audit trail, weak reporting",
            "Audit trail and TPS templates out of the box",
        ),
    },
    {
        "name": "Acme Manufacturing",
        "industry": "Manufacturing",
        "status": "prospect",
        "website": "acme.example",
        "city": "Dayton",
        "contacts": [
            ("Dana Whitfield", "CFO", "decision_maker"),
            ("Raj Patel", "Plant manager", "champion"),
            ("Lena Ortiz", "Procurement", "influencer"),
        ],
        "notes": [
            ("customer", "Two plants, 400 staff; downtime reporting done on paper."),
            ("product_fit", "Mobile checklists fit the shop floor; offline mode is a must."),
            ("industry", "Manufacturers are under pressure to report downtime for insurance."),
        ],
        "comparison": (
            "Hooli Ops",
            "Big brand, CFO knows them",
            "Six-month implementations",
            "Live in four weeks with a pilot",
        ),
    },
    {
        "name": "Umbrella Health",
        "industry": "Healthcare",
        "status": "prospect",
        "website": "umbrella.example",
        "city": "Raccoon City",
        "contacts": [
            ("Dr. Alice Abernathy", "Chief Medical Officer", "decision_maker"),
            ("Tom Lee", "IT security", "technical"),
        ],
        "notes": [
            ("customer", "Three clinics; patient intake is the bottleneck."),
            ("other", "Security review takes 6 weeks: start it early."),
        ],
        "comparison": None,
    },
    {
        "name": "Stark Logistics",
        "industry": "Logistics",
        "status": "customer",
        "website": "stark.example",
        "city": "Rotterdam",
        "contacts": [("Pepper Lin", "Head of Operations", "decision_maker"), ("Happy Novak", "Dispatcher", "user")],
        "notes": [("customer", "Renewal in June; wants route reporting added.")],
        "comparison": None,
    },
    {
        "name": "Wayne Retail",
        "industry": "Retail",
        "status": "prospect",
        "website": "wayne.example",
        "city": "Gotham",
        "contacts": [("Lucius Fox", "CTO", "decision_maker")],
        "notes": [("industry", "Retailers are cutting store-ops software after a weak season.")],
        "comparison": ("Globex Flow", "Bundled discount", "No mobile app", "Store staff use it on their phones"),
    },
]

OBJECTIONS = [
    ("Too expensive", "Reframe on the cost of the problem; phase the rollout"),
    ("Not this quarter", "Find the event that forces the timing; agree a small step now"),
    ("We already use Globex Flow", "Ask what it does not do for them; offer a side-by-side pilot"),
    ("I need to check with my boss", "Ask to include the boss in the next step"),
    ("What if it fails?", "Pilot with exit criteria; references from similar customers"),
]

# (account index, days from now, hour, kind, objective, goal, ladder, outcome, secured level, debrief)
CALLS: list[
    tuple[
        int,
        int,
        int,
        CallKind,
        str,
        str,
        tuple[str, str, str],
        Outcome | None,
        AdvanceLevel | None,
        dict[str, str] | None,
    ]
] = [
    (
        0,
        -40,
        10,
        CallKind.DISCOVERY,
        "Understand how TPS reports flow today",
        "Map 3 hand-offs and their cost",
        (
            "VP Operations joins a scoping workshop",
            "IT lead sends current workflow docs by Friday",
            "Agrees to a 20-minute call with the IT lead",
        ),
        Outcome.ADVANCE,
        AdvanceLevel.TARGET,
        {
            "went_well": "They opened up about the audit problem.",
            "do_differently": "Ask about budget earlier.",
            "lessons": "Lumbergh decides; Joanna does the evaluation.",
            "next_step": "Demo the audit trail to Lumbergh",
        },
    ),
    (
        0,
        -21,
        14,
        CallKind.DEMO,
        "Show the audit trail on their own TPS data",
        "Lumbergh scores it 4/5 or better",
        (
            "Signs the order form for phase one",
            "Agrees to a 30-day pilot with 5 users, starting Monday",
            "Introduces us to procurement this week",
        ),
        Outcome.ADVANCE,
        AdvanceLevel.TARGET,
        {
            "went_well": "Demo on their data landed.",
            "do_differently": "Bring a pricing one-pager.",
            "lessons": "Price will come up with procurement.",
            "next_step": "Pilot kick-off with 5 users",
        },
    ),
    (
        1,
        -30,
        9,
        CallKind.DISCOVERY,
        "Learn how downtime is reported at both plants",
        "Quantify hours lost per month",
        (
            "CFO joins a 30-minute pricing review on the 14th",
            "Books an on-site demo for the plant managers",
            "Raj shares last quarter's downtime log",
        ),
        Outcome.CONTINUATION,
        None,
        {
            "went_well": "Raj is a real champion.",
            "do_differently": "Go for the on-site demo, not 'send info'.",
            "lessons": "CFO only cares about insurance premiums.",
            "next_step": "On-site demo for plant managers",
        },
    ),
    (
        1,
        -9,
        11,
        CallKind.DEMO,
        "On-site demo for the plant managers",
        "Both plant managers agree it saves 5 h/week",
        (
            "CFO joins a 30-minute pricing review on the 14th",
            "Agrees to a 30-day pilot at plant 1",
            "Raj introduces us to procurement this week",
        ),
        Outcome.ADVANCE,
        AdvanceLevel.FALLBACK,
        {
            "went_well": "Plant 2 manager asked for the offline mode.",
            "do_differently": "Have the CFO in the room.",
            "lessons": "Procurement needs three quotes.",
            "next_step": "Pricing review with the CFO",
        },
    ),
    (
        2,
        -14,
        15,
        CallKind.DISCOVERY,
        "Find out who owns patient intake",
        "Name the budget owner",
        (
            "CMO agrees to a pilot at one clinic",
            "Tom Lee starts the security review",
            "Agrees to a call with the clinic managers",
        ),
        Outcome.LOST,
        None,
        {
            "went_well": "Clear no, early.",
            "do_differently": "Qualify budget before the first meeting.",
            "lessons": "No budget until next fiscal year.",
            "next_step": "",
        },
    ),
    (
        3,
        -5,
        10,
        CallKind.CHECK_IN,
        "Agree the route reporting add-on scope",
        "Scope signed off for 2 depots",
        ("Signs the add-on order", "Pepper books a scoping session with dispatch", "Happy shares sample route data"),
        Outcome.ADVANCE,
        AdvanceLevel.STRETCH,
        None,
    ),
    (
        4,
        -2,
        16,
        CallKind.DISCOVERY,
        "First meeting with Lucius: store-ops pain",
        "Two pains with numbers",
        (
            "Lucius books a demo for store managers",
            "Introduces us to the head of stores",
            "Agrees to a 20-minute call with their technical lead",
        ),
        None,
        None,
        None,
    ),
    (
        0,
        2,
        10,
        CallKind.PROPOSAL,
        "Present the phase-one proposal to Lumbergh",
        "Verbal yes on scope and price",
        (
            "Signs the order form for phase one",
            "CFO joins a 30-minute pricing review on the 14th",
            "IT lead sends the current vendor's contract terms by Friday",
        ),
        None,
        None,
        None,
    ),
    (
        1,
        5,
        14,
        CallKind.NEGOTIATION,
        "Pricing review with the CFO",
        "Agree price within 10% of list",
        (
            "Signs the order form for phase one",
            "Agrees to a 30-day pilot at plant 1",
            "Lena sends procurement's quote template by Friday",
        ),
        None,
        None,
        None,
    ),
    (
        4,
        8,
        11,
        CallKind.DEMO,
        "Demo for the store managers",
        "",
        ("", "Books a pilot in three stores", ""),
        None,
        None,
        None,
    ),
]


PREPARED_ITEMS = (10, 3, 8, 2, 9, 10, 1, 4, 6, 2)
# Answers heard in past calls, by bank question (the demo asks the first one or two of each call).
ANSWERS = {
    "How do you handle this today, and who is involved?": "Three hand-offs by email; nobody owns the last one.",
    "What is hardest about the way it works now?": "Chasing sign-offs [their words: 'herding cats'].",
    "How often does that go wrong, and what happens when it does?": "Weekly; a late report holds up billing.",
    "Which part of your day should this demo make easier?": "The Monday status report.",
    "What would you need to see to call this a fit?": "SSO and an audit trail, live in under a month.",
    "How does your team do that step today?": "A shared spreadsheet, copied into email.",
    "Does this scope match the problem we agreed on?": "Yes, plus the second plant.",
    "What would make this an easy yes for your CFO?": "Payback inside two quarters.",
    "Which terms matter most to you, and which are flexible?": "Price per seat matters; term length is flexible.",
    "What would have to change for you to sign this month?": "A phased start at 50 seats.",
    "What has changed on your side since we last spoke?": "A new COO who wants one reporting tool.",
    "What is not working as well as you hoped?": "Adoption in the Dayton office is slow.",
}
HURRIED_CALLS = frozenset({2, 4})
PRACTISED_CALLS = frozenset({1, 7})  # one held, one upcoming: stats and the plan both show a run


def refusal(accounts: int, calls: int) -> str | None:
    """Why demo data may not go into a database holding these records (``None``: it may)."""
    if not accounts and not calls:
        return None
    return (
        f"The database already holds {accounts} account(s) and {calls} call(s): demo data goes only into an "
        "empty database, so it never mixes with real records. Try it in a fresh file: "
        "salestui demo --db ~/salestui-demo.db"
    )


def load_demo(store: Store, now: datetime | None = None, history: bool = False) -> dict[str, int]:
    """Add the demo accounts and calls to an empty ``store``, all or nothing; returns what was added.

    With ``history``, also a track record: held calls over the past 16 weeks and a few more calls
    ahead, so the forecast has something to read (``add_track_record``).

    Raises ``StoreError`` (``refusal``'s message) when the database holds any account or call,
    whoever owns them: on a team server that includes the other reps' records.
    """
    from sqlalchemy import func, select, text

    from salestui.store.core import StoreError
    from salestui.store.tables import Account, Call

    with store.atomic() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Two reps pressing D at once on an empty server: the second waits, then sees the first's data.
            session.execute(text("SELECT pg_advisory_xact_lock(7270002)"))
        accounts = session.execute(select(func.count()).select_from(Account)).scalar_one()
        calls = session.execute(select(func.count()).select_from(Call)).scalar_one()
        problem = refusal(accounts, calls)
        if problem is not None:
            raise StoreError(problem)
        counts = _fill(store, now)
        if history:
            counts["calls"] += add_track_record(store, now)
        return counts


def _fill(store: Store, now: datetime | None) -> dict[str, int]:
    moment = now or clock_now()
    account_ids: list[int] = []
    contact_ids: list[list[int]] = []
    for spec in ACCOUNTS:
        account = store.accounts.create(
            str(spec["name"]),
            industry=str(spec["industry"]),
            status=str(spec["status"]),
            website=str(spec["website"]),
            city=str(spec["city"]),
        )
        account_ids.append(account.id)
        contact_ids.append(
            [store.accounts.add_contact(account.id, n, title=ti, role=r).id for n, ti, r in spec["contacts"]]  # type: ignore[attr-defined]
        )
        for category, body in spec["notes"]:  # type: ignore[attr-defined]
            store.accounts.add_note(account.id, category, body, source="Call notes")
        if spec["comparison"]:
            name, strengths, weaknesses, edge = spec["comparison"]  # type: ignore[misc]
            store.accounts.add_comparison(
                account.id, name, their_strengths=strengths, their_weaknesses=weaknesses, our_edge=edge
            )
    local_today = moment.astimezone(UTC).date()
    for number, (acct, days, hour, kind, objective, goal, ladder, outcome, secured, debrief) in enumerate(CALLS):
        when = datetime.combine(local_today + timedelta(days=days), time(hour, 0), UTC)
        hurried = number in HURRIED_CALLS  # planned in the car park: the stats should show it
        call_id = store.calls.create(
            account_ids[acct],
            when,
            kind,
            contact_ids=[] if hurried else contact_ids[acct][:2],
            objective=objective,
            goal="" if hurried else goal,
            strategy="Open with their numbers; let the champion tell the story." if number % 3 else "",
        )
        for level, action in zip(
            (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK), ladder, strict=True
        ):
            if action and not (hurried and level is not AdvanceLevel.TARGET):
                store.calls.set_advance(call_id, level, action, owner="customer")
        # Preparation varies from call to call, as it does for real reps.
        objection_ids = [
            store.calls.add_objection(call_id, text, response if number % 4 != 2 else "")
            for text, response in OBJECTIONS[number % 3 : number % 3 + 2]
        ]
        # Questions from the bank for the call's kind: more of them on well-prepared calls.
        asked_count = 0 if hurried else 1 + number % 2
        questions = () if hurried else bank(kind)[number % 2 : number % 2 + 3]
        question_ids = store.calls.add_questions(call_id, [(q.text, q.kind, q.hope) for q in questions])
        plan = store.calls.plan(call_id)
        for item in plan.checklist[: PREPARED_ITEMS[number]]:
            store.calls.set_checklist_done(item.id, True)
        if number in PRACTISED_CALLS:  # rehearsed the evening before; one objection still felt shaky
            store.calls.record_practice(call_id, 7 * 60 + 40, [f"objection: {OBJECTIONS[number % 3][0]}"])
        if days < 0:
            store.calls.start(call_id)
            store.calls.add_note(call_id, "Opened with their downtime numbers; good energy.")
            store.calls.set_raised(objection_ids[0], True)
            for question_id, question in zip(question_ids[:asked_count], questions, strict=False):
                store.calls.set_asked(question_id, True, ANSWERS.get(question.text, ""))
            if outcome is Outcome.ADVANCE and secured is not None:
                store.calls.secure(call_id, secured)
            elif outcome is not None:
                store.calls.set_outcome(call_id, outcome)
            store.calls.end(call_id)
            # Held at its planned time, not when the demo was loaded (review orders by it).
            store.calls.update(call_id, started_at=when, ended_at=when + timedelta(minutes=45))
        if debrief is not None:
            handling = Handling.WELL if number % 2 else Handling.BADLY
            store.calls.update_objection(objection_ids[0], handling=handling)
            store.calls.update(call_id, achieved="yes" if outcome is Outcome.ADVANCE else "partly")
            store.debriefs.finish(
                call_id, rating=3 + number % 3, follow_up=(when + timedelta(days=7)).date(), **debrief
            )
        if number in (COACHED_CALL, RIDDEN_CALL):
            _coach(store, call_id, number)
    return {"accounts": len(ACCOUNTS), "calls": len(CALLS)}


COACHED_CALL = 7
"""The proposal to Lumbergh: the manager read the plan and left two notes (one done, one open)."""
RIDDEN_CALL = 3
"""The on-site demo at Acme: the manager rode along and wrote what she saw (carried to the next Acme plan)."""
DEMO_MANAGER = "Maria Lopez"


def _coach(store: Store, call_id: int, number: int) -> None:
    """Coaching and a ride-along, as a manager would leave them (issue 33)."""
    from salestui.domain.coaching import Part, Pin
    from salestui.store import coaching

    # On a team database the author is the login (row-level security); in a rep's own file the
    # manager's name, as the rep typed her notes in.
    author = DEMO_MANAGER if store.engine.dialect.name == "sqlite" else None
    if number == COACHED_CALL:
        done = coaching.add_note(
            store, call_id, "Open with the cost of the three hand-offs, in their numbers.", Pin(Part.OBJECTIVE), author
        )
        coaching.set_done(store, done.id)
        coaching.add_note(
            store, call_id, "Ask for the CFO by name and a date, not 'a follow-up'.", Pin(Part.TARGET), author
        )
        return
    rider = coaching.set_riders(store, call_id, [author or store.owner])[0]
    coaching.save_saw(
        store,
        rider.id,
        "You let the plant managers drive the demo: good.\nYou answered price before they asked: wait for it.",
    )


# -- a track record for the forecast (``load_demo(..., history=True)``) -----------------------------
TRACK_RECORD_WEEKS = 16
"""Weeks of held calls before this one (three a week)."""
TRACK_RECORD_ADVANCE = {"low": 0.25, "medium": 0.45, "high": 0.75}
"""How often a held call of each readiness band advances in the track record: preparation pays."""
TRACK_RECORD_KINDS = (CallKind.DISCOVERY, CallKind.DEMO, CallKind.PROPOSAL, CallKind.CHECK_IN, CallKind.NEGOTIATION)
TRACK_RECORD_OBJECTIVES = {
    CallKind.DISCOVERY: "Map how {site} handles the hand-offs today",
    CallKind.DEMO: "Demo the audit trail to the {site} team",
    CallKind.PROPOSAL: "Walk {site} through the phase-one proposal",
    CallKind.CHECK_IN: "Quarterly check-in with {site}",
    CallKind.NEGOTIATION: "Agree terms for {site}",
}
# Calls ahead besides the demo's three: (account index, days from now, hour, kind, readiness).
TRACK_RECORD_AHEAD = (
    (2, 3, 15, CallKind.DISCOVERY, 30),
    (3, 9, 10, CallKind.CHECK_IN, 60),
    (1, 16, 9, CallKind.DEMO, 40),
)


def add_track_record(store: Store, now: datetime | None = None) -> int:
    """Held calls of the past ``TRACK_RECORD_WEEKS`` weeks (debriefed) and a few calls ahead, in the
    caller's transaction; returns how many calls were added. Deterministic: the same calls every time."""
    import random

    moment = now or clock_now()
    rng = random.Random(34)
    accounts = [row.id for row in store.accounts.rows()]
    today = moment.astimezone(UTC).date()
    start = datetime.combine(today - timedelta(days=today.weekday()), time(0, 0), UTC) - timedelta(
        weeks=TRACK_RECORD_WEEKS
    )
    added = 0
    for week in range(TRACK_RECORD_WEEKS):
        for slot in range(3):
            kind = TRACK_RECORD_KINDS[(week + slot) % len(TRACK_RECORD_KINDS)]
            readiness = rng.choice((35, 45, 60, 70, 85, 95))
            band = "low" if readiness < 50 else ("high" if readiness >= 80 else "medium")
            account = accounts[(week * 3 + slot) % len(accounts)]
            when = start + timedelta(weeks=week, days=slot * 2, hours=9 + slot * 2)
            site = str(ACCOUNTS[(week * 3 + slot) % len(ACCOUNTS)]["name"])
            call_id = store.calls.create(
                account,
                when,
                kind,
                objective=TRACK_RECORD_OBJECTIVES[kind].format(site=site),
                goal="A date for the next step",
            )
            store.calls.set_advance(
                call_id, AdvanceLevel.STRETCH, "Signs the order form for phase one", owner="customer"
            )
            store.calls.set_advance(
                call_id, AdvanceLevel.TARGET, "Agrees to a 30-day pilot with 5 users", owner="customer"
            )
            store.calls.set_advance(
                call_id, AdvanceLevel.FALLBACK, "Agrees to a 20-minute call with their technical lead", owner="customer"
            )
            roll = rng.random()
            if roll < TRACK_RECORD_ADVANCE[band]:
                level = (
                    AdvanceLevel.STRETCH
                    if roll < 0.1
                    else (AdvanceLevel.TARGET if roll < TRACK_RECORD_ADVANCE[band] * 0.7 else AdvanceLevel.FALLBACK)
                )
                store.calls.secure(call_id, level)
            else:
                store.calls.set_outcome(call_id, Outcome.LOST if roll > 0.93 else Outcome.CONTINUATION)
            store.calls.update(
                call_id,
                status="done",
                started_at=when,
                ended_at=when + timedelta(minutes=40),
                readiness_at_start=readiness,
            )
            store.debriefs.finish(call_id, went_well="Clear agenda.", lessons="Ask for the next step earlier.")
            added += 1
    for acct, days, hour, kind, readiness in TRACK_RECORD_AHEAD:
        when = datetime.combine(moment.astimezone(UTC).date() + timedelta(days=days), time(hour, 0), UTC)
        site = str(ACCOUNTS[acct]["name"])
        call_id = store.calls.create(
            accounts[acct],
            when,
            kind,
            objective=TRACK_RECORD_OBJECTIVES[kind].format(site=site),
            goal="" if readiness < 40 else "A date for the next step",
        )
        if readiness >= 40:
            store.calls.set_advance(
                call_id, AdvanceLevel.TARGET, "Books an on-site demo for the plant managers", owner="customer"
            )
        if readiness >= 60:
            store.calls.set_advance(
                call_id, AdvanceLevel.FALLBACK, "Introduces us to procurement this week", owner="customer"
            )
        added += 1
    return added
