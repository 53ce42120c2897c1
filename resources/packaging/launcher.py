"""The frozen program's entry point (PyInstaller runs this file as ``__main__``).

The same as ``python -m reader``. ``freeze_support()`` comes first: a process pool started with
"spawn" re-runs this executable for each worker, and PyInstaller's multiprocessing hook makes
``freeze_support()`` turn such a run into the worker (on every platform, not only Windows).
"""

import locale
import multiprocessing
import os
import sys


def coerce_c_locale() -> None:
    """Do what ``python`` does at start (PEP 538) and an embedded interpreter does not: under
    the C or POSIX locale (a desktop file's bare environment, ``env -i``), use C.UTF-8 for
    characters, and say so in the environment, so that Qt, which wants a UTF-8 locale, neither
    warns nor guesses."""
    if os.name != "posix" or os.environ.get("LC_ALL"):
        return
    try:
        current = locale.setlocale(locale.LC_CTYPE, "")
    except locale.Error:
        current = "C"
    if current not in ("C", "POSIX"):
        return
    for name in ("C.UTF-8", "C.utf8", "UTF-8"):
        try:
            locale.setlocale(locale.LC_CTYPE, name)
        except locale.Error:
            continue
        os.environ["LC_CTYPE"] = name
        return


if __name__ == "__main__":
    multiprocessing.freeze_support()
    coerce_c_locale()
    from reader.app import main

    sys.exit(main())
