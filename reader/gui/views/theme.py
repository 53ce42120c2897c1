"""View ▸ Theme: System, Light or Dark, remembered in the settings.

The window follows the system's palette by default. Light and Dark set an explicit palette on
the application (and, on Qt 6.8 and newer, the colour scheme, so dialogs the platform draws
follow too); System resets the application palette (an empty QPalette: Qt 6 then goes back to
the platform's own, and follows it when it changes).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

THEMES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
SETTINGS_KEY = "view/theme"


def dark_palette() -> QPalette:
    """A dark palette in the Fusion style's proportions (enough contrast for reading)."""
    p = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#e6e6e6")
    muted, highlight = QColor("#8c8f94"), QColor("#3d7bd9")
    for role, color in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#26282b")),
        (QPalette.ColorRole.ToolTipBase, QColor("#3c3f41")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, muted),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#35373b")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ff6b6b")),
        (QPalette.ColorRole.Light, QColor("#45484d")),
        (QPalette.ColorRole.Midlight, QColor("#3a3d41")),
        (QPalette.ColorRole.Mid, QColor("#2f3134")),
        (QPalette.ColorRole.Dark, QColor("#191a1c")),
        (QPalette.ColorRole.Shadow, QColor("#000000")),
        (QPalette.ColorRole.Highlight, highlight),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Link, QColor("#6ea8fe")),
        (QPalette.ColorRole.LinkVisited, QColor("#b197fc")),
    ):
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return p


def light_palette() -> QPalette:
    p = QPalette()
    text, muted = QColor("#1a1a1a"), QColor("#6c6f75")
    for role, color in (
        (QPalette.ColorRole.Window, QColor("#f3f3f3")),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, QColor("#ffffff")),
        (QPalette.ColorRole.AlternateBase, QColor("#f7f7f7")),
        (QPalette.ColorRole.ToolTipBase, QColor("#ffffdc")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, muted),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#ececec")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#c92a2a")),
        (QPalette.ColorRole.Light, QColor("#ffffff")),
        (QPalette.ColorRole.Midlight, QColor("#e3e3e3")),
        (QPalette.ColorRole.Mid, QColor("#b8b8b8")),
        (QPalette.ColorRole.Dark, QColor("#9f9f9f")),
        (QPalette.ColorRole.Shadow, QColor("#767676")),
        (QPalette.ColorRole.Highlight, QColor("#308cc6")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Link, QColor("#1c63b7")),
        (QPalette.ColorRole.LinkVisited, QColor("#7048e8")),
    ):
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return p


class ThemeController(QObject):
    """The View ▸ Theme menu and what it does to the application's palette.

    Signals:
        theme_changed(str name): "system", "light" or "dark" is now in use.
    """

    theme_changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        self.current = "system"
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for name, label in THEMES:
            act = QAction(label, self)
            act.setCheckable(True)
            act.triggered.connect(lambda _=False, n=name: self.apply(n))
            self.group.addAction(act)
            self.actions[name] = act

    def build_menu(self, menu: QMenu) -> None:
        sub = menu.addMenu("&Theme")
        for act in self.actions.values():
            sub.addAction(act)

    def restore(self) -> None:
        """Apply the theme chosen last time."""
        stored = self.settings.value(SETTINGS_KEY, "system")
        self.apply(stored if stored in self.actions else "system", remember=False)

    def apply(self, name: str, remember: bool = True) -> None:
        if name not in self.actions:
            raise ValueError(f"unknown theme: {name}")
        self.current = name
        self.actions[name].setChecked(True)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "setColorScheme"):  # Qt 6.8+
            scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
                name, Qt.ColorScheme.Unknown
            )
            hints.setColorScheme(scheme)
        palette = {"light": light_palette, "dark": dark_palette}.get(name)
        self._app.setPalette(palette() if palette is not None else QPalette())
        if remember:
            self.settings.setValue(SETTINGS_KEY, name)
        self.theme_changed.emit(name)
