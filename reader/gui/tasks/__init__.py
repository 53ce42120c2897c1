"""Background work: the worker threads that own the index and the annotations database, and
the folder watcher."""
