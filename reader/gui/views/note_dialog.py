"""The dialog a highlight's note is written in: a few lines of wrapped text."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class NoteDialog(QDialog):
    """A note, wrapped at the editor's width (Qt's multi-line input dialog does not wrap, so a
    long note scrolled sideways). Ctrl+Enter accepts, as Enter makes a new line."""

    def __init__(self, parent: QWidget | None, title: str, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Note:", self))
        self.editor = QPlainTextEdit(self)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(initial)
        self.editor.setAccessibleName("Note")
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setShortcut("Ctrl+Return")
        ok.setToolTip("Save the note (Ctrl+Enter)")
        layout.addWidget(buttons)
        self.resize(460, 260)

    def text(self) -> str:
        return self.editor.toPlainText()
