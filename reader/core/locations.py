"""Where Corpus Reader keeps the user's files: index, annotations, settings, logs.

Nothing is ever written into the corpus folder. ``--data-dir`` moves every user path under one
folder, so tests and scripts never touch the real profile.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "corpus-reader"


@dataclass(frozen=True)
class Locations:
    """The user paths of one run of the app."""

    data_dir: Path
    cache_dir: Path

    @classmethod
    def resolve(cls, data_dir: Path | None = None) -> Locations:
        """Use ``data_dir`` for everything when given, else the platform's user folders."""
        if data_dir is not None:
            data_dir = data_dir.expanduser().absolute()
            return cls(data_dir, data_dir / "cache")
        import platformdirs  # (here: with --data-dir, as scripts and tests run, it is not needed)

        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.ini"

    @property
    def annotations_db(self) -> Path:
        return self.data_dir / "annotations.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "corpus-reader.log"

    def index_dir(self, corpus: Path) -> Path:
        """One index per corpus folder, named readably and keyed by the folder's real path."""
        real = str(corpus.expanduser().resolve())
        key = hashlib.blake2b(real.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(real).name)[:40] or "root"
        return self.cache_dir / "indexes" / f"{name}-{key}"
