"""The window settles long-lived objects out of the collector's reach once the views'
modules and a workspace are in, and hands them back when the workspace is closed."""

from __future__ import annotations

import gc

import pytest

from tests.test_ui_support import make_contract
from ui import heap

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("isolated_settings")]


def test_settle_and_release() -> None:
    heap.release()
    assert heap.settled() == 0
    keep = [[i] for i in range(1000)]  # tracked objects alive now
    heap.settle()
    try:
        assert heap.settled() >= len(keep)
        assert gc.is_tracked(keep[0])
    finally:
        heap.release()
    assert heap.settled() == 0


@pytest.mark.window([make_contract("2025 signed")], workspace=True)
def test_window_settles_after_open_and_releases_on_close(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.state.records_pending, timeout=30_000)
    assert heap.settled() > 10_000  # modules, versions, history: out of the collector's reach
    window.close_workspace()
    qtbot.waitUntil(lambda: not window.state.is_open, timeout=30_000)
    assert heap.settled() == 0


@pytest.mark.window([make_contract("2025 signed")], workspace=True)
def test_closing_the_window_releases(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.state.records_pending, timeout=30_000)
    assert heap.settled() > 0
    window.close()
    assert heap.settled() == 0


def test_hold_keeps_full_collections_back_until_settled() -> None:
    young, middle, full = gc.get_threshold()
    heap.hold()
    try:
        assert heap.held()
        assert gc.get_threshold()[:2] == (young, middle)  # young collections go on
        assert gc.get_threshold()[2] > 10_000 * full  # no full collection while a load runs
        heap.hold()  # a second load while held: still one threshold to give back
    finally:
        heap.settle()
        heap.release()
    assert not heap.held()
    assert gc.get_threshold() == (young, middle, full)


def test_a_failed_or_replaced_load_holds_nothing_back() -> None:
    full = gc.get_threshold()[2]
    heap.hold()
    heap.resume()  # a load that failed
    assert gc.get_threshold()[2] == full and not heap.held()
    heap.hold()
    heap.release()  # a workspace closed while loading
    assert gc.get_threshold()[2] == full and not heap.held()


@pytest.mark.window([make_contract("2025 signed")], workspace=True)
def test_window_holds_full_collections_while_it_loads(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.state.records_pending, timeout=30_000)
    assert not heap.held()  # the workspace is in: full collections as usual
    window.open_workspace(str(window.state.path))
    assert heap.held()  # reading it: no full collection
    qtbot.waitUntil(lambda: not window.state.records_pending and not window.loading, timeout=30_000)
    assert not heap.held()
