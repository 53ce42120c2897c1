"""Noticing changes in the corpus folder while the window is open.

A QFileSystemWatcher on the corpus's folders sees files added, deleted and renamed; on its
article files (while there are few enough) it also sees them edited in place. The operating
system limits how much can be watched (Linux: inotify watches per user), and network folders
often report nothing, so a periodic poll catches whatever the watcher cannot. Either way the
answer is the same: a sync, which reads only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot
from shiboken6 import Shiboken

#: Events arrive in bursts (an editor's save, a copied folder): wait this long after the last one.
DEBOUNCE_MS = 500
#: The poll for changes the watcher cannot see.
POLL_MS = 30_000
#: Above these, folders or files are not watched (polling still sees their changes).
MAX_WATCHED_FOLDERS = 2000
MAX_WATCHED_FILES = 2000


class CorpusWatcher(QObject):
    """Says when the corpus folder may have changed.

    Signals:
        changed(): a watched folder or file changed (debounced), or the poll interval passed.
    """

    changed = Signal()

    def __init__(
        self, debounce_ms: int = DEBOUNCE_MS, poll_ms: int = POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._watcher: QFileSystemWatcher | None = QFileSystemWatcher(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._extra: str | None = None
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._debounce.timeout.connect(self.changed)
        self._poll.timeout.connect(self.changed)

    def start(self) -> None:
        self._poll.start()

    def stop(self) -> None:
        """Stop for good. Deletes the Qt watcher now, on this thread: the owner may be garbage
        collected on a worker thread, where destroying it would upset its socket notifier."""
        self._poll.stop()
        self._debounce.stop()
        if self._watcher is not None:
            Shiboken.delete(self._watcher)
            self._watcher = None

    @Slot(object)
    def watch(self, paths: Iterable[str]) -> None:
        """Watch exactly ``paths`` (folders and files), plus the file given to ``follow``."""
        if self._watcher is None:
            return
        wanted = set(paths)
        if self._extra is not None:
            wanted.add(self._extra)
        current = set(self.watched())
        gone = sorted(current - wanted)
        new = sorted(wanted - current)
        if gone:
            self._watcher.removePaths(gone)
        if new:
            # A path deleted since it was listed cannot be watched; the next sync sees it gone.
            self._watcher.addPaths(new)

    def follow(self, path: str) -> None:
        """Also watch ``path`` (the open article), even when there are too many files to watch."""
        if path == self._extra:
            return
        old, self._extra = self._extra, path
        self.watch(p for p in self.watched() if p != old)

    def watched(self) -> list[str]:
        if self._watcher is None:
            return []
        return [*self._watcher.directories(), *self._watcher.files()]

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        self._debounce.start()
