"""Finding, decoding and parsing article files (reader.core.corpus)."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core import corpus
from reader.core.corpus import (
    Article,
    ArticleError,
    Block,
    FileStat,
    decode,
    load_article,
    read_bytes,
    walk_corpus,
)
from reader.core.dates import parse_date
from reader.core.text_article import parse_article

SEED_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED = "000_a48a5c26eb42239f.txt"
SEED_TITLE = (
    "Russian Foreign Ministry called for restraint around the conflict between Armenia and Azerbaijan"
)

# Two long sentences, so a short line between them is in subheading position.
PARA_1 = "The first paragraph of the story is long enough to be a real paragraph of body text."
PARA_2 = "The second paragraph follows the subheading and is also long enough to be body text."

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def parse(text: str) -> Article:
    return parse_article("a.txt", text)


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in article.blocks]


def walk(root: Path) -> tuple[list[FileStat], dict[str, str]]:
    """The walk split into article files and problems (path -> reason)."""
    files: list[FileStat] = []
    problems: dict[str, str] = {}
    for item in walk_corpus(root):
        if isinstance(item, FileStat):
            files.append(item)
        else:
            path, reason = item
            problems[path] = reason
    return files, problems


# --- The seed article ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return load_article(SEED_CORPUS, SEED)


def test_seed_title_and_date(seed: Article) -> None:
    assert seed.path == SEED
    assert seed.title == SEED_TITLE
    assert seed.date == dt.date(2020, 7, 30)
    assert seed.date_line == "30 July 2020"
    assert seed.encoding == "utf-8"
    assert not seed.truncated


def test_seed_subheading_is_a_heading_block(seed: Article) -> None:
    headings = [block.text for block in seed.blocks if block.kind == "heading"]
    assert headings == ["Escalation on the Armenian-Azerbaijani border"]
    assert len(seed.blocks) == 8
    assert seed.blocks[0].text.startswith("Russia calls on other regional players to show restraint")
    assert seed.blocks[-1].text.startswith("The conflict between Baku and Yerevan began in February 1988")


def test_seed_footer_is_source_and_credit_not_body(seed: Article) -> None:
    assert seed.source == 'GSV "Russia - Islamic World"'
    assert seed.credits == ("Photo: Creative Commons",)
    assert "Islamic World" not in seed.body
    assert "Creative Commons" not in seed.body
    assert "\xa0" not in seed.plain_text


def test_seed_keeps_elision_mark_literally(seed: Article) -> None:
    assert "through diplomatic negotiations <...>. The Russian leadership" in seed.body


def test_seed_plain_text_is_one_line_per_part(seed: Article) -> None:
    lines = seed.plain_text.split("\n")
    assert lines == list(seed.lines)
    assert lines[:2] == [SEED_TITLE, "30 July 2020"]
    assert lines[2:-2] == [block.text for block in seed.blocks]
    assert lines[-2:] == ['GSV "Russia - Islamic World"', "Photo: Creative Commons"]
    assert all(line and line == line.strip() for line in lines)
    assert seed.body == "\n".join(lines[2:-2])


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("30 July 2020", dt.date(2020, 7, 30)),
        ("July 30, 2020", dt.date(2020, 7, 30)),
        ("July 30 2020", dt.date(2020, 7, 30)),
        ("2020-07-30", dt.date(2020, 7, 30)),
        ("30.07.2020", dt.date(2020, 7, 30)),
        ("1 Jan 2021", dt.date(2021, 1, 1)),
        ("3 Sept. 2019", dt.date(2019, 9, 3)),
        ("Dec 24, 1999", dt.date(1999, 12, 24)),
        ("Thursday, July 30, 2020", dt.date(2020, 7, 30)),
        ("Thu 30 July 2020", dt.date(2020, 7, 30)),
        ("30 JULY 2020", dt.date(2020, 7, 30)),
        ("  4 January 2019  ", dt.date(2019, 1, 4)),
        ("2020-7-3", dt.date(2020, 7, 3)),
        ("29 February 2020", dt.date(2020, 2, 29)),
    ],
)
def test_parse_date_accepts_date_lines(line: str, expected: dt.date) -> None:
    assert parse_date(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "July 2020 was hot.",
        "12 Monkeys",
        "2020-13-45",
        "31.02.2020",
        "29 February 2021",
        "30 Julember 2020",
        "30 July 2020, Moscow",
        "Moscow, 30 July 2020",
        "On 30 July 2020 the ministry said",
        "2020",
        "07/30/2020",
        "30.07.20",
    ],
)
def test_parse_date_rejects_non_dates(line: str) -> None:
    assert parse_date(line) is None


def test_date_line_directly_under_title() -> None:
    article = parse(f"Title\n30 July 2020\n\n{PARA_1}\n")
    assert (article.title, article.date, article.date_line) == ("Title", dt.date(2020, 7, 30), "30 July 2020")
    assert kinds(article) == [("paragraph", PARA_1)]


def test_date_line_followed_by_text_without_blank_lines() -> None:
    article = parse(f"Title\n2020-07-30\n{PARA_1}\n{PARA_2}\n")
    assert article.date == dt.date(2020, 7, 30)
    assert kinds(article) == [("paragraph", f"{PARA_1} {PARA_2}")]


def test_date_only_right_after_title() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\n30 July 2020\n\n{PARA_2}\n")
    assert article.date is None
    assert article.date_line == ""
    assert [block.text for block in article.blocks] == [PARA_1, "30 July 2020", PARA_2]


def test_non_date_second_line_stays_body() -> None:
    article = parse("12 Monkeys\n\nJuly 2020 was hot.\n")
    assert (article.title, article.date) == ("12 Monkeys", None)
    assert kinds(article) == [("paragraph", "July 2020 was hot.")]


# --- Paragraphs and subheadings --------------------------------------------------------------


def test_title_only() -> None:
    article = parse("Just a title\n")
    assert (article.title, article.blocks, article.date, article.source) == ("Just a title", (), None, "")
    assert article.plain_text == "Just a title"


def test_title_and_date_only() -> None:
    article = parse("Just a title\n\n30.07.2020\n")
    assert article.date == dt.date(2020, 7, 30)
    assert article.blocks == ()
    assert article.plain_text == "Just a title\n30.07.2020"


def test_leading_blank_lines_and_spaces_are_not_the_title() -> None:
    article = parse(f"\n\n   \n  Spaced   out   title  \n\n{PARA_1}\n")
    assert article.title == "Spaced out title"


def test_hard_wrapped_lines_join_into_one_paragraph_and_runs_of_blanks_collapse() -> None:
    article = parse("Title\n\nfirst line of a\nwrapped paragraph\n\n\n\n\nnext paragraph\n\n\n")
    assert kinds(article) == [
        ("paragraph", "first line of a wrapped paragraph"),
        ("paragraph", "next paragraph"),
    ]


def test_multiline_first_group_keeps_rest_as_body() -> None:
    article = parse(f"Title\n{PARA_1}\n\n{PARA_2}\n")
    assert article.title == "Title"
    assert [block.text for block in article.blocks] == [PARA_1, PARA_2]


def test_short_unpunctuated_line_between_paragraphs_is_a_heading() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\nWhat comes next\n\n{PARA_2}\n")
    assert kinds(article) == [("paragraph", PARA_1), ("heading", "What comes next"), ("paragraph", PARA_2)]


@pytest.mark.parametrize(
    "line",
    [
        "Terms were not disclosed",  # a sentence that lost its full stop
        "Bild am Sonntag released the text ahead of publication",
        "They said at this price it seemed unlikely that the full",
        "The talks ended in",
        "What comes next.",
        "Is it over?",
        "what comes next",
        "Results for 2020",
        "A heading " + "that goes on and on " * 4,
    ],
)
def test_not_a_heading(line: str) -> None:
    article = parse(f"Title\n\n{PARA_1}\n\n{line}\n\n{PARA_2}\n")
    assert [block.kind for block in article.blocks] == ["paragraph", "paragraph", "paragraph"]
    assert article.blocks[1].text == " ".join(line.split())


def test_heading_needs_real_paragraphs_around_it() -> None:
    # A list of short lines (captions, a table) is not a run of headings.
    article = parse(f"Title\n\n{PARA_1}\n\nDisney\n\nAnime\n\nSuperheroes\n\n{PARA_2}\n")
    assert [block.kind for block in article.blocks] == ["paragraph"] * 5


def test_heading_is_shorter_than_its_neighbours() -> None:
    article = parse("Title\n\nIt rained.\n\nWeather in the mountain villages\n\nIt snowed.\n")
    assert [block.kind for block in article.blocks] == ["paragraph"] * 3


def test_first_and_last_blocks_are_never_headings() -> None:
    article = parse(f"Title\n\nOpening words\n\n{PARA_1}\n\nClosing words\n")
    assert [block.kind for block in article.blocks] == ["paragraph"] * 3


# --- Footer: source and credits --------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\xa0", "\xa0\xa0 ", "---", "* * *", "____"])
def test_line_after_final_separator_is_the_source(separator: str) -> None:
    article = parse(f"Title\n\n{PARA_1}\n{separator}\n\nExample News Agency\n")
    assert article.source == "Example News Agency"
    assert kinds(article) == [("paragraph", PARA_1)]
    assert article.plain_text.split("\n")[-1] == "Example News Agency"


def test_last_line_without_separator_is_body() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\nExample News Agency\n")
    assert article.source == ""
    assert article.blocks[-1] == Block("paragraph", "Example News Agency")


def test_rule_in_the_middle_does_not_make_a_source() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\n---\n\n{PARA_2}\n\nThe end of the story\n")
    assert article.source == ""
    assert [block.text for block in article.blocks] == [PARA_1, PARA_2, "The end of the story"]


def test_long_line_after_separator_is_body() -> None:
    long_line = "word " * 60
    article = parse(f"Title\n\n{PARA_1}\n---\n{long_line}\n")
    assert article.source == ""
    assert article.blocks[-1].text == long_line.strip()


@pytest.mark.parametrize(
    "credit",
    ["Photo: Creative Commons", "Photos: AP", "Photo by: Jane Doe", "Image — Reuters", "Фото: ТАСС"],
)
def test_trailing_credit_lines_are_footer(credit: str) -> None:
    article = parse(f"Title\n\n{PARA_1}\n\n{credit}\n\nIllustration: John Smith\n")
    assert article.credits == (credit, "Illustration: John Smith")
    assert kinds(article) == [("paragraph", PARA_1)]


@pytest.mark.parametrize(
    ("source_line", "credit", "source"),
    [
        ("Quelle: Deutsche Welle", "Foto: dpa", "Deutsche Welle"),
        ("Source : Le Monde", "Photo : AFP", "Le Monde"),
        ("Kaynak: Anadolu Ajansı", "Fotoğraf: AA", "Anadolu Ajansı"),
        ("Mənbə: APA", "Foto: APA", "APA"),
        ("Աղբյուր՝ Արմենպրես", "Լուսանկարը՝ Արմենպրես", "Արմենպրես"),
        ("Источник: ТАСС", "Фото: РИА Новости", "ТАСС"),
        ('GSV "Russia - Islamic World"', "Zdjęcie: PAP", 'GSV "Russia - Islamic World"'),
        ("Reuters", "Bild: Keystone", "Reuters"),
    ],
)
def test_the_seed_footer_in_other_languages_gives_source_and_credit(
    source_line: str, credit: str, source: str
) -> None:
    article = parse(f"Title\n\n30 July 2020\n\n{PARA_1}\n\n{PARA_2}\n\n\xa0\n\n{source_line}\n\n{credit}\n")
    assert (article.source, article.credits) == (source, (credit,))
    assert [block.text for block in article.blocks] == [PARA_1, PARA_2]
    assert article.lines[-2:] == (source_line, credit)  # the text keeps the lines as written


def test_two_short_closing_lines_without_the_separator_stay_body() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\nThe talks go on.\n\nMore tomorrow\n")
    assert (article.source, article.credits) == ("", ())
    assert [block.text for block in article.blocks] == [PARA_1, "The talks go on.", "More tomorrow"]


def test_credit_like_line_inside_the_body_stays_body() -> None:
    article = parse(f"Title\n\nPhoto: the minister at the border\n\n{PARA_1}\n")
    assert article.credits == ()
    assert article.blocks[0].text == "Photo: the minister at the border"


def test_words_that_only_start_like_credits_stay_body() -> None:
    article = parse(f"Title\n\n{PARA_1}\n\nCredit Suisse will lead manage the issue.\n")
    assert article.credits == ()
    assert article.blocks[-1].text == "Credit Suisse will lead manage the issue."


# --- Line endings and odd characters ---------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_parse_like_lf(newline: str) -> None:
    text = f"Title\n\n30 July 2020\n\n{PARA_1}\n\nWhat comes next\n\n{PARA_2}\n\xa0\nSource\n\nPhoto: X\n"
    data = text.replace("\n", newline).encode("utf-8")
    decoded, _ = decode(data)
    assert "\r" not in decoded
    assert parse(decoded) == parse(text)


def test_nul_bytes_and_control_characters_are_dropped() -> None:
    text, encoding = decode(b"Ti\x00tle\n\nBody \x00text\x1a with\ttab.\x7f\n")
    assert encoding == "utf-8"
    article = parse(text)
    assert article.title == "Title"
    assert article.body == "Body text with tab."


# --- Decoding --------------------------------------------------------------------------------

RUSSIAN = "Министерство иностранных дел России призвало к сдержанности\n\nТекст статьи.\n"
FRENCH = "Le café du ministère\n\nÀ l’été, les élèves « attendent » …\n"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (RUSSIAN.encode("utf-8"), RUSSIAN, "utf-8"),
        (codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"), RUSSIAN, "utf-8-sig"),
        (RUSSIAN.encode("utf-16"), RUSSIAN, "utf-16"),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), RUSSIAN, "utf-16"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), FRENCH, "utf-16"),
        (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
        (FRENCH.encode("cp1252"), FRENCH, "cp1252"),
        ("Ñandú \x81\n".encode("latin-1"), "Ñandú \x81\n", "latin-1"),  # 0x81 is undefined in cp1252
        (b"", "", "utf-8"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_short_latin1_file_ending_in_accent_keeps_its_last_letter() -> None:
    assert decode("Un café".encode("latin-1")) == ("Un café", "cp1252")


def test_truncated_utf8_drops_only_the_cut_character() -> None:
    data = "Заголовок".encode()[:-1]  # the last letter cut in half
    assert decode(data, truncated=True) == ("Заголово", "utf-8")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"\x00" * 100, b"\x7fELF\x02\x01\x01" + b"\x00" * 64 + b"\x03\x00>\x00" * 20],
)
def test_binary_data_is_an_article_error(data: bytes) -> None:
    with pytest.raises(ArticleError, match="binary"):
        decode(data)


@given(st.binary(max_size=300))
def test_decode_gives_text_or_article_error_for_any_bytes(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except ArticleError:
        return
    assert isinstance(text, str)
    assert "\x00" not in text
    assert "\r" not in text
    assert encoding


# Pieces that exercise the parser's branches; a full Unicode alphabet costs a second to set up.
_PIECES = [
    "\n",
    "\n\n",
    "\r",
    " ",
    "\t",
    "\xa0",
    "---",
    "Word",
    "word.",
    "Ж",
    "é",
    '"',
    "7",
    ":",
    "-",
    "Photo: X",
    "30 July 2020",
    "2020-13-45",
    "\x00",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_parse_never_raises_and_lines_are_single_nonblank(text: str) -> None:
    article = parse_article("x.txt", text)
    if not article.title:
        assert article.lines == ("",)
        return
    for line in article.lines:
        assert line
        assert line == " ".join(line.split())
    assert article.plain_text.split("\n") == list(article.lines)


# --- Loading files ---------------------------------------------------------------------------


def test_load_article_reads_a_cp1251_file(tmp_path: Path) -> None:
    write(tmp_path, "ru/статья.txt", RUSSIAN.encode("cp1251"))
    article = load_article(tmp_path, "ru/статья.txt")
    assert article.path == "ru/статья.txt"
    assert article.title == "Министерство иностранных дел России призвало к сдержанности"
    assert article.encoding == "cp1251"
    assert article.body == "Текст статьи."


@pytest.mark.parametrize(
    "content",
    [b"", b"   ", b"\n\n\r\n\t \n", "\xa0\n\u3000\n".encode(), codecs.BOM_UTF8, codecs.BOM_UTF16_LE],
)
def test_empty_and_whitespace_only_files_are_empty(tmp_path: Path, content: bytes) -> None:
    write(tmp_path, "empty.txt", content)
    with pytest.raises(ArticleError, match=r"^empty file$"):
        load_article(tmp_path, "empty.txt")


def test_file_with_only_a_rule_has_no_text(tmp_path: Path) -> None:
    write(tmp_path, "rule.md", "---\n\n***\n")
    with pytest.raises(ArticleError, match=r"^no text$"):
        load_article(tmp_path, "rule.md")


def test_binary_file_named_txt_is_an_article_error(tmp_path: Path) -> None:
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32)) * 20)
    with pytest.raises(ArticleError, match="binary"):
        load_article(tmp_path, "image.txt")


def test_folder_is_an_article_error(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ArticleError, match="folder"):
        load_article(tmp_path, "folder.txt")


def test_missing_file_is_an_article_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="vanished"):
        load_article(tmp_path, "gone.txt")


@needs_symlinks
def test_broken_symlink_is_an_article_error(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ArticleError, match="broken link"):
        load_article(tmp_path, "dangling.txt")


def test_unreadable_file_is_an_article_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, where chmod 000 does not stop reading; simulate the refusal instead.
    write(tmp_path, "locked.txt", "Title\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(corpus, "open", refuse, raising=False)
    with pytest.raises(ArticleError, match=r"^permission denied$"):
        load_article(tmp_path, "locked.txt")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read mode 000 files")
def test_mode_000_file_is_an_article_error(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", "Title\n")
    path.chmod(0)
    try:
        with pytest.raises(ArticleError, match=r"^permission denied$"):
            load_article(tmp_path, "locked.txt")
    finally:
        path.chmod(0o644)


def test_read_bytes_reports_truncation(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"0123456789")
    assert read_bytes(path, limit=10) == (b"0123456789", False)
    assert read_bytes(path, limit=4) == (b"0123", True)


def test_large_file_keeps_its_leading_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "MAX_ARTICLE_BYTES", 100)
    text = "Большая статья\n\n" + "Слово " * 100  # two bytes a letter, so the cut may split one
    write(tmp_path, "big.txt", text)
    article = load_article(tmp_path, "big.txt")
    assert article.truncated
    assert article.title == "Большая статья"
    assert article.blocks[0].text.startswith("Слово Слово")
    leading = text.encode()[:100].decode("utf-8", errors="ignore")
    assert article.plain_text == parse_article("big.txt", leading).plain_text
    assert "\ufffd" not in article.plain_text


def test_file_at_the_limit_is_not_truncated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "MAX_ARTICLE_BYTES", 100)
    write(tmp_path, "exact.txt", "T\n\n" + "x" * 97)
    article = load_article(tmp_path, "exact.txt")
    assert not article.truncated
    assert article.body == "x" * 97


# --- Walking the corpus folder ---------------------------------------------------------------


def test_walk_finds_article_files_recursively_with_posix_ids(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "B")
    write(tmp_path, "a.md", "A")
    write(tmp_path, "sub/deeper/c.txt", "C")
    write(tmp_path, "sub/LOUD.TXT", "D")
    write(tmp_path, "notes.html", "page")
    write(tmp_path, "sub/feed.RSS", "feed")
    write(tmp_path, "b.txt.bak", "no")
    write(tmp_path, "notes.pdf", "no")
    write(tmp_path, "sub/image.png", b"\x89PNG")
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == [
        "a.md",
        "b.txt",
        "notes.html",
        "sub/LOUD.TXT",
        "sub/feed.RSS",
        "sub/deeper/c.txt",
    ]
    assert problems == {}


def test_walk_reports_size_and_mtime(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "hello")
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_123_456_789))
    assert list(walk_corpus(tmp_path)) == [FileStat("a.txt", 5, 1_600_000_000_123_456_789)]


def test_walk_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path, ".hidden.txt", "no")
    write(tmp_path, ".git/notes.txt", "no")
    write(tmp_path, "sub/.cache/x.md", "no")
    write(tmp_path, "sub/visible.txt", "yes")
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["sub/visible.txt"]
    assert problems == {}


def test_walk_enters_folder_named_like_an_article(tmp_path: Path) -> None:
    write(tmp_path, "something.txt/inside.txt", "yes")
    (tmp_path / "empty.md").mkdir()
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["something.txt/inside.txt"]
    assert problems == {}


@needs_symlinks
def test_walk_follows_file_links_but_not_folder_links(tmp_path: Path) -> None:
    write(tmp_path, "real/a.txt", "A")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    (tmp_path / "real" / "loop").symlink_to(tmp_path)  # would recurse forever if followed
    (tmp_path / "folderlink.txt").symlink_to(tmp_path / "real")
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["link.txt", "real/a.txt"]
    assert problems == {}


@needs_symlinks
def test_walk_reports_broken_links_and_link_loops(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "ok")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["good.txt"]
    assert problems == {
        "broken.txt": "file vanished or is a broken link",
        "loop1.txt": "symbolic link loop",
        "loop2.txt": "symbolic link loop",
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_walk_skips_special_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    write(tmp_path, "a.txt", "A")
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["a.txt"]
    assert problems == {}


def test_walk_reports_unlistable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.txt", "A")
    write(tmp_path, "locked/b.txt", "B")
    write(tmp_path, "open/c.txt", "C")
    real_scandir = os.scandir

    def scandir(path: str | Path) -> object:
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = walk(tmp_path)
    assert [f.path for f in files] == ["a.txt", "open/c.txt"]
    assert problems == {"locked": "cannot list folder: Permission denied"}


def test_walk_of_missing_root_reports_a_problem(tmp_path: Path) -> None:
    files, problems = walk(tmp_path / "nope")
    assert files == []
    assert list(problems) == ["."]
    assert "cannot list folder" in problems["."]
