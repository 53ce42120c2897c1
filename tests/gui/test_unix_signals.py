"""SIGTERM and SIGINT reach the event loop as a Qt signal, and the handlers are given back."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from PySide6.QtCore import QObject

from reader.gui.window.unix_signals import QuitSignals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_arrives_in_the_event_loop(qtbot, number: int) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    signals = QuitSignals(owner)
    got: list[int] = []
    signals.received.connect(got.append)
    before = signal.getsignal(number)
    assert signals.install()
    try:
        os.kill(os.getpid(), number)
        qtbot.waitUntil(lambda: got == [number])
    finally:
        signals.uninstall()
    assert signal.getsignal(number) is before


def test_uninstalled_it_no_longer_catches_anything(qtbot) -> None:  # type: ignore[no-untyped-def]
    signals = QuitSignals()
    assert signals.install()
    signals.uninstall()
    signals.uninstall()  # twice is harmless
    assert signal.set_wakeup_fd(-1) == -1  # the wakeup socket is gone
