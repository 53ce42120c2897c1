"""The label colours a user picks from, by name (a module of its own: the command line's
``label color`` help names them without importing the annotations code)."""

from __future__ import annotations

#: Label colours, by name, with their CSS value (chips in the window, the W3C stylesheet).
LABEL_COLORS: dict[str, str] = {
    "red": "#e03131",
    "orange": "#f08c00",
    "green": "#2f9e44",
    "teal": "#0c8599",
    "blue": "#1c7ed6",
    "purple": "#7048e8",
    "pink": "#d6336c",
    "grey": "#868e96",
}
