"""The one-page Markdown call sheet and its private file."""

from __future__ import annotations

from datetime import UTC, date, datetime

from salestui.domain.enums import AdvanceLevel
from salestui.io.plan_sheet import plan_sheet_markdown


def test_sheet_has_every_part_of_the_plan(store, frozen_now):
    account = store.accounts.create("Initech [/]")
    bill = store.accounts.add_contact(account.id, "Bill Lumbergh", title="VP Operations", role="decision_maker")
    store.accounts.add_contact(account.id, "Not Invited", title="Intern", role="user")
    call_id = store.calls.create(
        account.id,
        datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        "proposal",
        contact_ids=[bill.id],
        objective="Present the phase-one proposal [TODO]",
        goal="Verbal yes on scope and price",
        strategy="Open with their numbers\nLet the champion tell the story",
        expected_return="A date for the CFO review",
    )
    store.calls.set_advance(
        call_id, AdvanceLevel.STRETCH, "Signs the order form | phase one", "Bill", date(2026, 11, 27)
    )
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "CFO joins a pricing review on the 14th", "Dana")
    store.calls.add_objection(call_id, "Too expensive", "Reframe on the cost of the problem")
    first = store.calls.plan(call_id).checklist[0]
    store.calls.set_checklist_done(first.id, True)

    sheet = plan_sheet_markdown(store, call_id)

    assert sheet.startswith("# Call plan: Initech \\[/\\]\n")  # escaped like the dossier
    assert "**When:** Wed 25 Nov 10:00 · **Kind:** Proposal" in sheet
    assert "- Bill Lumbergh — VP Operations, Decision maker" in sheet
    assert "Not Invited" not in sheet
    assert "Present the phase-one proposal \\[TODO\\]" in sheet
    assert "**Measurable goal:** Verbal yes on scope and price" in sheet
    assert "**Expected return:** A date for the CFO review" in sheet
    assert "Open with their numbers\nLet the champion tell the story" in sheet
    assert "| Stretch | Signs the order form \\| phase one | Bill | 2026-11-27 |" in sheet
    assert "| Target | CFO joins a pricing review on the 14th | Dana | — |" in sheet
    assert "| Fallback | — | — | — |" in sheet
    assert "1. **Too expensive** — Reframe on the cost of the problem" in sheet
    assert "## Checklist (1/10)" in sheet
    assert "- [x] Objective written" in sheet and "- [ ] Practised the call" in sheet
    assert "- no fallback advance" in sheet and "- checklist 1/10 done" in sheet
    # One page: well under 60 lines for a full plan.
    assert len(sheet.splitlines()) < 60


def test_empty_plan_sheet_says_what_is_missing(store):
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id)
    sheet = plan_sheet_markdown(store, call_id)
    assert "no time set" in sheet
    assert "(no contacts chosen)" in sheet and "(no objective)" in sheet and "(none listed)" in sheet
    assert "- no objective" in sheet and "**Readiness:** 0% (low)" in sheet


def test_multiline_user_text_cannot_break_the_structure(store):
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id, objective="line one\n## not a heading")
    store.calls.add_objection(call_id, "Price\n- fake item", "")
    sheet = plan_sheet_markdown(store, call_id)
    assert "\n## not a heading" not in sheet
    assert "line one ## not a heading" in sheet
    assert "1. **Price - fake item** — (no response planned)" in sheet


def test_user_text_is_escaped_like_the_dossier(store):
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id, objective="# [TODO] *now*", strategy="> quoted\n1. not a list")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Pilot | <b>5</b> users", owner="Bill_B")
    sheet = plan_sheet_markdown(store, call_id)
    assert "\n\\# \\[TODO\\] \\*now\\*\n" in sheet
    assert "\\> quoted\n1\\. not a list" in sheet
    assert "| Target | Pilot \\| \\<b\\>5\\</b\\> users | Bill\\_B |" in sheet
