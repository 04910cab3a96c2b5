"""Snapshots of the accounts list and the account view, demo data, frozen clock, 120x40 and 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from salestui.app import SalesApp
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from tests.helpers import settle, type_text, wait_ready

SIZES = [(120, 40), (80, 24)]


def demo_app(db_path: Path, frozen_now) -> SalesApp:  # type: ignore[no-untyped-def]
    store = open_store(db_path, owner="tester")
    load_demo(store, now=frozen_now)
    acme = store.accounts.find_by_name("Acme Manufacturing")
    assert acme is not None
    # Brackets in user text must show literally in the snapshot too.
    store.accounts.add_note(acme.id, "other", "[TODO] call [/] back [b]not bold[/b]", "[source]")
    # A long email and a phone: at 80 columns the email is cut with … and Phone still shows.
    dana = next(c for c in store.accounts.contacts(acme.id) if c.name.startswith("Dana"))
    store.accounts.update_contact(
        dana.id, email="dana.whitfield@acme-manufacturing.example.com", phone="+1 937 555 0142"
    )
    store.engine.dispose()
    return SalesApp(db_path, owner="tester")


async def open_accounts(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await pilot.press("r")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_accounts_list(snap_compare, db_path, frozen_now, size):  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(db_path, frozen_now), terminal_size=size, run_before=open_accounts)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_account_contacts(snap_compare, db_path, frozen_now, size):  # type: ignore[no-untyped-def]
    async def open_account(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_accounts(pilot)
        await type_text(pilot, "acme")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(demo_app(db_path, frozen_now), terminal_size=size, run_before=open_account)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_account_calls(snap_compare, db_path, frozen_now, size):  # type: ignore[no-untyped-def]
    async def open_calls(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_accounts(pilot)
        await type_text(pilot, "acme")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(demo_app(db_path, frozen_now), terminal_size=size, run_before=open_calls)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_account_research(snap_compare, db_path, frozen_now, size):  # type: ignore[no-untyped-def]
    async def open_research(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_accounts(pilot)
        await type_text(pilot, "acme")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3", "j")
        await settle(pilot)

    assert snap_compare(demo_app(db_path, frozen_now), terminal_size=size, run_before=open_research)
