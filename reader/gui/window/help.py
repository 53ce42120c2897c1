"""The Help menu's dialogs: the query syntax and About."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from reader import __version__

QUERY_HELP = """<h3>Search</h3>
<table cellpadding=3>
<tr><td><code>Minsk group</code></td><td>all words (stemmed: <i>negotiation</i> finds <i>negotiations</i>);
articles where they stand together rank first</td></tr>
<tr><td><code>"Minsk group"</code></td><td>the exact phrase</td></tr>
<tr><td><code>Baku OR Yerevan</code></td><td>either word</td></tr>
<tr><td><code>Armenia NOT Turkey</code>, <code>-Turkey</code></td><td>leave out articles with a word</td></tr>
<tr><td><code>(Baku OR Yerevan) border</code></td><td>grouping</td></tr>
<tr><td><code>title:</code> <code>body:</code> <code>source:</code></td>
<td>search one part of the article</td></tr>
<tr><td><code>date:2020-07</code>, <code>date:[2020-07-01 to 2020-07-31]</code></td>
<td>a month, a range</td></tr>
<tr><td><code>negotiat*</code>, <code>Karabah~</code></td><td>prefix, fuzzy (a typo away)</td></tr>
</table>
<p>F3 / Shift+F3 walk the hits in the article; Ctrl+F finds text in it; Esc clears the search.</p>"""


def show_query_help(parent: QWidget) -> None:
    QMessageBox.information(parent, "Search syntax", QUERY_HELP)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About Corpus Reader",
        f"<h3>Corpus Reader {__version__}</h3><p>Read and search a folder of news articles.</p>",
    )
