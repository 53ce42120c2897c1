"""Whoosh imported without three modules it loads at import time and the app never calls.

Every process that searches imports Whoosh first, and a command-line ``search`` is mostly
imports. Three of Whoosh's cost about 40% of its import and nothing of ours uses them:

- ``whoosh.reading`` takes ``cached_property`` from the package of that name, which imports
  ``asyncio`` (for coroutine methods, which Whoosh has none of);
- ``whoosh.compat`` binds ``urllib.request.urlretrieve`` (``http.client``, ``ssl``, ``email``),
  which only Whoosh's corpus downloaders call;
- ``whoosh.query.terms`` binds ``whoosh.lang.morph_en.variations`` (hundreds of regular
  expressions compiled at import), which only a ``Variations`` query calls.

``install`` (called by a command-line command before it imports Whoosh) puts a finder first on
``sys.meta_path`` that, while exactly those three Whoosh modules execute, lends them stand-ins:
``functools``' ``cached_property`` (the same for plain methods), and ``urlretrieve`` and
``variations`` wrappers that import the real function on their first call. The stand-ins are in
``sys.modules`` only while that module runs, so any other import of ``asyncio``,
``urllib.request`` or ``morph_en`` gets the real module, as does Whoosh if one was already
imported. Whoosh itself is not imported here: that stays lazy for whoever needs it first.

Only a command installs it, not the window: a stand-in sits in ``sys.modules`` for the moment
its Whoosh module runs, and another thread importing the real module just then (the window's
writer lane importing trafilatura, which imports ``urllib.request``, while its reader lane opens
the index) would be given the stand-in. A command imports on one thread, and it is there that
the import is most of the cost.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(word: str) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(word)


def _module(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(
        name, "A stand-in lent while one Whoosh module imports (reader.core.whoosh_imports)."
    )
    module.__dict__.update(attributes)
    return module


def _stand_ins() -> dict[str, dict[str, types.ModuleType]]:
    """For each Whoosh module, the stand-in modules it is lent while it executes."""
    return {
        "whoosh.reading": {
            "cached_property": _module("cached_property", cached_property=functools.cached_property)
        },
        "whoosh.compat": {"urllib.request": _module("urllib.request", urlretrieve=_urlretrieve)},
        "whoosh.query.terms": {
            "whoosh.lang.morph_en": _module("whoosh.lang.morph_en", variations=_variations)
        },
    }


class _Lending:
    """A loader that runs another loader's ``exec_module`` with stand-ins in ``sys.modules``."""

    def __init__(self, loader: Any, stand_ins: dict[str, types.ModuleType]) -> None:
        self.loader = loader
        self.stand_ins = stand_ins

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        create: Callable[[ModuleSpec], types.ModuleType | None] | None = getattr(
            self.loader, "create_module", None
        )
        return create(spec) if create is not None else None

    def exec_module(self, module: types.ModuleType) -> None:
        lent = [name for name in self.stand_ins if name not in sys.modules]
        for name in lent:
            sys.modules[name] = self.stand_ins[name]
        try:
            self.loader.exec_module(module)
        finally:
            for name in lent:
                if sys.modules.get(name) is self.stand_ins[name]:
                    del sys.modules[name]

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, is_package... as the loader has them
        return getattr(self.loader, name)


class LeanWhooshFinder:
    """Finds the three Whoosh modules as the path finder does, with a lending loader."""

    def __init__(self) -> None:
        self.stand_ins = _stand_ins()

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        stand_ins = self.stand_ins.get(name)
        if stand_ins is None:
            return None
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Lending(spec.loader, stand_ins)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once a process)."""
    if not any(isinstance(finder, LeanWhooshFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, LeanWhooshFinder())
