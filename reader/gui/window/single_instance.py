"""One window per data folder: a later launch hands its request to the running window and exits.

The first launch takes a ``QLockFile`` in the data folder and then listens on a ``QLocalServer``
whose name derives from the data folder. The lock decides who is first without a race (a
double-click often starts two processes at once); the server carries the request. A later launch
finds the lock taken, connects, sends its request as one line of JSON and waits (briefly, before
it has any window) for the answer ``ok``.

After a crash the lock names a dead process, so ``QLockFile`` treats it as stale and the next
launch takes it; the server's socket file is left behind too, and is removed before listening
(safe: whoever holds the lock is the only one who may listen).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("corpus-reader")

LOCK_FILE = "instance.lock"
HAND_OFF_TIMEOUT_S = 5.0
_STEP_MS = 1000
_MAX_REQUEST_BYTES = 1 << 20
_CLIENT_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class LaunchRequest:
    """What a launch asks the window to do: open ``corpus`` (if given) and show ``files``."""

    files: tuple[Path, ...] = ()
    corpus: Path | None = None

    def to_bytes(self) -> bytes:
        data = {
            "files": [str(f) for f in self.files],
            "corpus": None if self.corpus is None else str(self.corpus),
        }
        return json.dumps(data).encode("utf-8") + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> LaunchRequest:
        """Parse one request; raise ValueError if it is not one."""
        value = json.loads(data.decode("utf-8"))
        if not isinstance(value, dict):
            raise ValueError("not a JSON object")
        files, corpus = value.get("files", []), value.get("corpus")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ValueError("files is not a list of paths")
        if corpus is not None and not isinstance(corpus, str):
            raise ValueError("corpus is not a path")
        return cls(tuple(Path(f) for f in files), None if corpus is None else Path(corpus))


def server_name(data_dir: Path) -> str:
    """The local server's name for ``data_dir``: per user (the names share /tmp) and per folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(getattr(os, "getuid", lambda: "")())
    key = f"{user}\0{data_dir.expanduser().resolve()}".encode("utf-8", "surrogateescape")
    return "corpus-reader-" + hashlib.blake2b(key, digest_size=8).hexdigest()


class InstanceServer(QObject):
    """The running instance's end: owns the lock and answers later launches.

    Signals:
        request_received(LaunchRequest): a later launch asked for something.
    """

    request_received = Signal(object)

    def __init__(self, lock: QLockFile, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._lock = lock
        self._server = QLocalServer(self)
        # Only this user may connect (the socket lives in a shared temporary folder).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._clients: set[_Client] = set()

    def listen(self) -> None:
        """Start answering; raise OSError if the name cannot be taken."""
        QLocalServer.removeServer(self.name)  # a socket file left behind by a crash
        if not self._server.listen(self.name):
            raise OSError(f"cannot listen for other launches: {self._server.errorString()}")

    def close(self) -> None:
        """Stop answering and release the lock (the next launch becomes the running one)."""
        self._server.close()
        self._lock.unlock()

    @Slot()
    def _on_server_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            client = _Client(socket, self)
            client.finished.connect(self._on_client_finished)
            self._clients.add(client)
            client.start()

    @Slot(object, object)
    def _on_client_finished(self, client: _Client, request: LaunchRequest | None) -> None:
        self._clients.discard(client)
        client.deleteLater()
        if request is not None:
            self.request_received.emit(request)


class _Client(QObject):
    """One connection from a later launch: read a line, answer, hang up.

    Signals:
        finished(_Client, LaunchRequest | None): the exchange is over (None: nothing usable came).
    """

    finished = Signal(object, object)

    def __init__(self, socket: QLocalSocket, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._socket = socket
        socket.setParent(self)
        self._buffer = bytearray()
        self._done = False

    def start(self) -> None:
        """Begin reading (once ``finished`` is connected: the request may already be here)."""
        self._socket.readyRead.connect(self._on_socket_ready_read)
        self._socket.disconnected.connect(self._on_socket_disconnected)
        QTimer.singleShot(_CLIENT_TIMEOUT_MS, self, self._on_socket_disconnected)
        if self._socket.bytesAvailable():
            self._on_socket_ready_read()

    @Slot()
    def _on_socket_ready_read(self) -> None:
        if self._done:
            return
        self._buffer += bytes(self._socket.readAll().data())
        if b"\n" not in self._buffer and len(self._buffer) < _MAX_REQUEST_BYTES:
            return
        line = bytes(self._buffer).split(b"\n", 1)[0]
        try:
            request: LaunchRequest | None = LaunchRequest.from_bytes(line)
        except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            log.warning("Ignored a malformed request from another launch: %s", exc)
            request = None
        self._socket.write(QByteArray(b"ok\n" if request is not None else b"error\n"))
        self._socket.flush()
        # Finish before hanging up: disconnecting may announce "disconnected" at once.
        self._finish(request)
        self._socket.disconnectFromServer()

    @Slot()
    def _on_socket_disconnected(self) -> None:
        self._finish(None)

    def _finish(self, request: LaunchRequest | None) -> None:
        if not self._done:
            self._done = True
            self.finished.emit(self, request)


def send_request(name: str, request: LaunchRequest, timeout_ms: int = _STEP_MS) -> bool:
    """Hand ``request`` to the server ``name``; True once it answered ``ok``. Blocks up to about
    three times ``timeout_ms``: only for a launch that has no window yet."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(QByteArray(request.to_bytes()))
    if not socket.waitForBytesWritten(timeout_ms):
        socket.abort()
        return False
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.abort()
    return answer.startswith(b"ok\n")


def claim(
    data_dir: Path, request: LaunchRequest, timeout: float = HAND_OFF_TIMEOUT_S
) -> InstanceServer | None:
    """Become the running instance for ``data_dir`` (return its listening server), or hand
    ``request`` to the instance already running (return None).

    Raises OSError when the lock file cannot be written, or when another instance holds the lock
    but does not answer within ``timeout`` seconds.
    """
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    name = server_name(data_dir)
    deadline = time.monotonic() + timeout
    while True:
        if lock.tryLock(0):
            server = InstanceServer(lock, name)
            server.listen()
            return server
        if lock.error() != QLockFile.LockError.LockFailedError:
            raise OSError(f"cannot write the lock file {data_dir / LOCK_FILE}")
        # The holder may have taken the lock but not be listening yet: try again until the deadline.
        if send_request(name, request):
            return None
        if time.monotonic() >= deadline:
            raise OSError("Corpus Reader is already running for this data folder but does not answer")
        QThread.msleep(100)
