"""``python -m reader``: the same as the ``corpus-reader`` command."""

import sys

if __name__ == "__main__":  # not in a worker process of the index pool (spawn imports this module)
    if getattr(sys, "frozen", False):  # (else a no-op; multiprocessing is only imported for a sync)
        import multiprocessing

        multiprocessing.freeze_support()
    from reader.app import main

    sys.exit(main())
