"""``python -m reader``: the same as the ``corpus-reader`` command."""

import multiprocessing
import sys

if __name__ == "__main__":  # not in a worker process of the index pool (spawn imports this module)
    multiprocessing.freeze_support()
    from reader.app import main

    sys.exit(main())
