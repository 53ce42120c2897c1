"""SIGTERM and SIGINT close the window the way its close button does.

A desktop session that logs out, ``kill``, a service manager or a test harness sends SIGTERM;
Ctrl+C in the terminal sends SIGINT. By default the first kills the process on the spot (the
window's state is not saved, the workers not stopped) and the second waits until Python code
runs again, which in Qt's event loop may be never. Here a handler that only records the signal
is installed, and ``signal.set_wakeup_fd`` writes the signal's number to a socket that a
``QSocketNotifier`` watches, so the event loop wakes at once and closes the windows in order.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

HANDLED = (signal.SIGTERM, signal.SIGINT)


class QuitSignals(QObject):
    """Turns SIGTERM and SIGINT into a Qt signal while installed (POSIX only; elsewhere inert).

    Signals:
        received(int): the number of the signal the process got.
    """

    received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous: dict[int, Any] = {}
        self._previous_fd: int | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None

    def install(self) -> bool:
        """Start listening; False where it cannot (no socketpair, not the main thread)."""
        if self._sockets is not None:
            return True
        try:
            reader, writer = socket.socketpair()
        except (AttributeError, OSError):
            return False
        reader.setblocking(False)
        writer.setblocking(False)
        try:
            self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        except ValueError:  # not the main thread
            reader.close()
            writer.close()
            return False
        self._sockets = (reader, writer)
        for number in HANDLED:
            self._previous[number] = signal.signal(number, _note)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        return True

    def uninstall(self) -> None:
        """Give the signals back to their previous handlers."""
        if self._sockets is None:
            return
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()
        signal.set_wakeup_fd(-1 if self._previous_fd is None else self._previous_fd)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        for sock in self._sockets:
            sock.close()
        self._sockets = None

    @Slot()
    def _on_notifier_activated(self) -> None:
        if self._sockets is None:
            return
        try:
            data = self._sockets[0].recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for number in data:
            if number in HANDLED:
                self.received.emit(number)


def _note(_number: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do, the wakeup socket carries the signal to Qt."""


def close_on_signals(parent: QObject, close: Callable[[int], None]) -> QuitSignals:
    """Call ``close(signal_number)`` in the event loop when SIGTERM or SIGINT arrives."""
    quit_signals = QuitSignals(parent)
    quit_signals.received.connect(close)
    with contextlib.suppress(OSError):
        quit_signals.install()
    return quit_signals
