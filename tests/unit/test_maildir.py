"""Maildir folders: one article per message, ids by Message-ID (else a content hash) that do
not change when a mail program renames a message's file, tmp/ never read, nothing written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from reader.core import marks
from reader.core.annotation_sync import reconcile
from reader.core.annotations import AnnotationStore, new_bookmark, new_highlight
from reader.core.corpus import FileStat, load_article, load_articles, original_file, walk_corpus
from reader.core.index import open_index
from reader.core.search import SearchService


def message(
    subject: str, body: str, message_id: str | None = None, date: str = "Thu, 12 Mar 2020 08:00:00 +0100"
) -> bytes:
    header = f"<{message_id}>" if message_id else ""
    return (
        f"From: Anna Berg <anna@example.org>\nTo: list@example.org\nSubject: {subject}\nDate: {date}\n"
        + (f"Message-ID: {header}\n" if header else "")
        + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        + body
    ).encode()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    inbox = root / "Mail" / "INBOX"
    for box in ("cur", "new", "tmp"):
        (inbox / box).mkdir(parents=True)
    (inbox / "cur" / "1583996400.M1P10.host:2,S").write_bytes(
        message(
            "Harbour reopens", "The harbour of Port Elwin reopened on Thursday.\n", "harbour-1@example.org"
        )
    )
    (inbox / "new" / "1583996500.M2P10.host").write_bytes(
        message("Bridge closed", "The old bridge is closed for repairs until May.\n", "bridge-2@example.org")
    )
    (inbox / "cur" / "1583996600.M3P10.host:2,RS").write_bytes(
        message("No id", "A message without a Message-ID header, about the ferry timetable.\n")
    )
    (inbox / "tmp" / "1583996700.M4P10.host").write_bytes(message("Half delivered", "Not yet.\n", "tmp@x"))
    (inbox / "cur" / ".hidden").write_bytes(message("Hidden", "Hidden file.\n", "hidden@x"))
    sent = inbox / ".Sent"  # a Maildir++ subfolder
    for box in ("cur", "new", "tmp"):
        (sent / box).mkdir(parents=True)
    (sent / "cur" / "1583996800.M5P10.host:2,S").write_bytes(
        message("Re: Harbour reopens", "Good news for the harbour.\n", "reply-5@example.org")
    )
    (root / "news").mkdir()
    (root / "news" / "new").mkdir()  # a folder named "new" is not a maildir by itself
    (root / "news" / "new" / "README").write_text("not an article\n")
    (root / "news" / "story.txt").write_text("A story\n\nText of the story.\n")
    return root


def walked(root: Path) -> list[str]:
    return sorted(item.path for item in walk_corpus(root) if isinstance(item, FileStat))


def test_the_walk_reads_cur_and_new_of_maildirs_and_never_tmp(corpus: Path) -> None:
    assert walked(corpus) == [
        "Mail/INBOX/.Sent/cur/1583996800.M5P10.host:2,S",
        "Mail/INBOX/cur/1583996400.M1P10.host:2,S",
        "Mail/INBOX/cur/1583996600.M3P10.host:2,RS",
        "Mail/INBOX/new/1583996500.M2P10.host",
        "news/story.txt",
    ]


def test_each_message_is_an_article_with_a_message_id_key(corpus: Path, tmp_path: Path) -> None:
    index = open_index(corpus, tmp_path / "ix")
    try:
        report = index.sync()
        catalog = index.catalog()
        rows = {row.path: row for row in catalog.articles()}
        catalog.close()
    finally:
        index.close()
    assert report.problems == []
    no_id = next(p for p in rows if re.fullmatch(r"Mail/INBOX#h[0-9a-f]{20}", p))
    assert sorted(rows) == sorted(
        [
            "Mail/INBOX#harbour-1@example.org",
            "Mail/INBOX#bridge-2@example.org",
            no_id,
            "Mail/INBOX/.Sent#reply-5@example.org",
            "news/story.txt",
        ]
    )
    harbour = rows["Mail/INBOX#harbour-1@example.org"]
    assert (harbour.title, str(harbour.date), harbour.source) == (
        "Harbour reopens",
        "2020-03-12",
        "Anna Berg",
    )
    article = load_article(corpus, "Mail/INBOX#harbour-1@example.org")
    assert article.body == "The harbour of Port Elwin reopened on Thursday."
    assert "From:" not in article.plain_text
    assert load_article(corpus, no_id).title == "No id"
    assert load_article(corpus, "Mail/INBOX/.Sent#reply-5@example.org").title == "Re: Harbour reopens"
    assert original_file(corpus, "Mail/INBOX#harbour-1@example.org") == (
        corpus / "Mail/INBOX/cur/1583996400.M1P10.host:2,S"
    )


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_message_renamed_by_its_mail_program_keeps_its_id_and_annotations(
    corpus: Path, tmp_path: Path
) -> None:
    index = open_index(corpus, tmp_path / "ix")
    store = AnnotationStore(tmp_path / "annotations.sqlite3")
    key = str(corpus)
    try:
        reconcile(store, corpus, index.sync())
        bridge = "Mail/INBOX#bridge-2@example.org"
        text = load_article(corpus, bridge).plain_text
        start = text.index("closed for repairs")
        highlight = new_highlight(
            key, bridge, text, start, start + len("closed for repairs"), "yellow", note="n"
        )
        bookmark = new_bookmark(key, "Mail/INBOX#harbour-1@example.org", 0, "Harbour reopens")
        store.put(highlight)
        store.put(bookmark)
        marks.set_read(store, key, [bridge])
        marks.add_label(store, key, "ports", [bridge])
        before = snapshot(corpus)

        # The mail program reads the new message (new/ → cur/, flag S) and flags the other one.
        inbox = corpus / "Mail" / "INBOX"
        os.rename(inbox / "new/1583996500.M2P10.host", inbox / "cur/1583996500.M2P10.host:2,S")
        os.rename(inbox / "cur/1583996400.M1P10.host:2,S", inbox / "cur/1583996400.M1P10.host:2,FS")
        report = index.sync()
        assert (report.added_paths, report.removed_paths, report.updated_paths) == ([], [], [])
        result = reconcile(store, corpus, report)
        assert result.orphaned == 0
        kept = store.get(highlight.id)
        assert kept is not None and kept.state == "anchored" and kept.path == bridge
        assert store.get(bookmark.id).state == "anchored"  # type: ignore[union-attr]
        assert marks.is_read(store, key, bridge)
        assert [label.name for label in marks.labels_of(store, key, bridge)] == ["ports"]
        assert load_article(corpus, bridge).plain_text == text  # found under its new name
        service = SearchService(index)
        try:
            assert [h.path for h in service.search("repairs", limit=10, snippets=False).hits] == [bridge]
        finally:
            service.close()
        after = snapshot(corpus)
        assert set(after) == {
            k.replace("new/1583996500.M2P10.host", "cur/1583996500.M2P10.host:2,S").replace(
                "1583996400.M1P10.host:2,S", "1583996400.M1P10.host:2,FS"
            )
            for k in before
        }
        assert sorted(v for v in after.values()) == sorted(v for v in before.values())  # nothing written
    finally:
        store.close()
        index.close()


def test_a_deleted_message_is_removed_and_a_delivered_one_added(corpus: Path, tmp_path: Path) -> None:
    index = open_index(corpus, tmp_path / "ix")
    try:
        index.sync()
        inbox = corpus / "Mail" / "INBOX"
        (inbox / "cur/1583996400.M1P10.host:2,S").unlink()
        (inbox / "new/1583999999.M9P10.host").write_bytes(
            message("Ferry", "The ferry runs again.\n", "ferry-9@x")
        )
        report = index.sync()
        assert report.removed_paths == ["Mail/INBOX#harbour-1@example.org"]
        assert report.added_paths == ["Mail/INBOX#ferry-9@x"]
    finally:
        index.close()


def test_show_of_a_maildir_message_and_of_a_missing_one(corpus: Path) -> None:
    from reader.core.corpus import ArticleError

    (article,) = load_articles(corpus, "Mail/INBOX#bridge-2@example.org")
    assert article.title == "Bridge closed"
    titles = [a.title for a in load_articles(corpus, "Mail/INBOX")]  # the whole maildir
    assert titles == ["Harbour reopens", "No id", "Bridge closed"]
    with pytest.raises(ArticleError, match="no message"):
        load_article(corpus, "Mail/INBOX#gone@example.org")


def test_a_corpus_that_is_itself_a_maildir(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    for box in ("cur", "new", "tmp"):
        (root / box).mkdir(parents=True)
    (root / "cur" / "1.M1P1.h:2,S").write_bytes(message("Root box", "Text in a root maildir.\n", "root-1@x"))
    assert walked(root) == ["cur/1.M1P1.h:2,S"]
    assert load_article(root, ".#root-1@x").title == "Root box"
