"""The window lets its GUI thread have the GIL back quickly while pool threads run Python."""

from __future__ import annotations

import sys

import pytest

from ui import tasks

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("isolated_settings")]


def test_the_window_shortens_the_interpreters_switch_interval(window) -> None:  # type: ignore[no-untyped-def]
    assert sys.getswitchinterval() <= tasks.GIL_SWITCH_S < 0.005  # the interpreter's default is 5 ms


def test_a_shorter_interval_set_elsewhere_is_kept() -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.0001)
        tasks.share_the_gil()
        assert sys.getswitchinterval() == pytest.approx(0.0001)
    finally:
        sys.setswitchinterval(before)
