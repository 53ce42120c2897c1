"""The window's background operations, one module per feature, each a few small functions.

An operation function takes the task runner (``library.tasks``), what to do, and the callback
that shows the result on the GUI thread; it returns the ``ReadOp`` / ``WriteOp`` for the caller
to ``run()`` (see ``reader/gui/tasks/runner.py`` and docs/ARCHITECTURE.md). A view calls its
feature's operations and nothing else of the background machinery::

    def recount(self) -> None:
        count_facets(self.tasks, self.query, self._on_facets_counted).run()

Adding a feature touches its operation module and the view that shows it.
"""
