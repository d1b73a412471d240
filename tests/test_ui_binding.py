"""The Qt binding in use does not corrupt reference counts of None/True/False.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call
(``setText``, ``processEvents``…) and to True/False on every ``emit``: after some tens of
thousands of calls the interpreter aborts with "deallocating None".  pyproject pins
``pyside6-essentials<6.12`` on Python < 3.12; this test keeps a broken binding out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 3000
SLACK = 300  # unrelated allocations may move the counts a little


class _Emitter(QObject):
    fired = Signal(object)


def test_void_calls_keep_the_reference_count_of_none(qapp) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
        QApplication.processEvents()
    assert sys.getrefcount(None) > before - SLACK


def test_emits_keep_the_reference_counts_of_true_and_false(qapp) -> None:
    e = _Emitter()
    got: list[object] = []
    e.fired.connect(got.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(CALLS):
        e.fired.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(got) == CALLS
    assert after[0] > before[0] - SLACK and after[1] > before[1] - SLACK
