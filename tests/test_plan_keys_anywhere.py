"""Plan keys work, or say why, wherever the cursor is outside a text field: ``Q`` opens the
question bank from anywhere; a list's letter pressed away from the lists names where it works."""

from __future__ import annotations

from datetime import timedelta

from salestui.modals.picker import Picker
from tests.helpers import make_app, open_plan, settle, toasts, wait_modal, wait_ready


async def test_q_opens_the_bank_and_list_letters_say_where_they_work(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=2), objective="Pilot scope")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call)
        screen.contact_list.focus()  # a list of the plan, not one that has these keys
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        told = toasts(app)
        assert told and "Questions, Objections or Checklist" in told[-1]
        screen.set_focus(None)
        await settle(pilot)
        await pilot.press("Q")
        picker = await wait_modal(pilot, Picker)
        assert "Questions for a" in str(picker.query_one("Label").render())
        await pilot.press("escape")
        await settle(pilot)
        screen.query_one("#objective").focus()
        await settle(pilot)
        await pilot.press("Q")  # in a text field Q is a letter
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#objective").value.endswith("Q")  # type: ignore[attr-defined]
