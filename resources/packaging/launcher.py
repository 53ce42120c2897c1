"""The frozen program's entry point (PyInstaller runs this file as ``__main__``).

The same as ``python -m reader``. ``freeze_support()`` comes first: a process pool started with
"spawn" re-runs this executable for each worker, and PyInstaller's multiprocessing hook makes
``freeze_support()`` turn such a run into the worker (on every platform, not only Windows).
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from reader.app import main

    sys.exit(main())
