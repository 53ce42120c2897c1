"""The files the last sync skipped or only partly indexed: a status-bar button and its dialog.

The list comes with every sync report (``SyncReport.problems``, read from the catalog on the
index thread), so showing it never touches the disk.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

Problem = tuple[str, str]  # (path relative to the corpus folder, reason)
_Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(QAbstractTableModel):
    """Rows of (file, reason)."""

    HEADERS = ("File", "Reason")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self._rows = list(problems)
        self.endResetModel()

    def problems(self) -> list[Problem]:
        return list(self._rows)

    # --- Qt overrides ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Overrides QAbstractItemModel.data: the path or the reason (also as a tooltip)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractItemModel.headerData: column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None


class ProblemsDialog(QDialog):
    """A table of the files that were skipped or only partly indexed, with the reason."""

    def __init__(self, model: ProblemsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Problems — Corpus Reader")
        self.setObjectName("ProblemsDialog")
        self.label = QLabel("", self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName("Problems")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)


class ProblemsButton(QToolButton):
    """A status-bar button, "3 files with problems", that opens the problems dialog; hidden
    when there are none. The dialog stays up to date while open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsButton")
        self.setAutoRaise(True)
        self.setToolTip("Files skipped or only partly indexed: click for the list")
        self.model = ProblemsModel(self)
        self.dialog: ProblemsDialog | None = None
        self._folder = ""
        self.clicked.connect(self.open_dialog)
        self.hide()

    def set_problems(self, folder: str, problems: list[Problem]) -> None:
        """Show the problems of the corpus ``folder`` (the list of the latest sync)."""
        self._folder = folder
        self.model.set_problems(problems)
        n = len(problems)
        self.setText(
            f"⚠ {n:,} file{'s' if n != 1 else ''} with problems" if n != 1 else "⚠ 1 file with a problem"
        )
        self.setVisible(n > 0)
        if self.dialog is not None:
            self._describe()

    def open_dialog(self) -> ProblemsDialog:
        """Show the dialog (not modal: the user can read articles beside it)."""
        if self.dialog is None:
            self.dialog = ProblemsDialog(self.model, self.window())
        self._describe()
        if self.dialog.isVisible():
            self.dialog.raise_()  # open behind the window: bring it forward
            self.dialog.activateWindow()
        self.dialog.show()
        return self.dialog

    def _describe(self) -> None:
        assert self.dialog is not None
        n = self.model.rowCount()
        self.dialog.label.setText(
            f"{n:,} file{'s' if n != 1 else ''} in {self._folder} could not be indexed, or only in "
            "part. They are checked again when they change."
        )
