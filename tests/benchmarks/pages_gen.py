"""Saved web pages for the benchmark: each text article of corpus_gen wrapped the way a news
site serves it, so HTML and plain text carry the same articles.

    python tests/benchmarks/pages_gen.py TEXT_CORPUS OUT_DIR

A page has what real saved pages have around the article (the 109 pages of trafilatura's test
cache average 125 KB): a head with inline CSS, JSON-LD and scripts, a cookie banner, a header
and navigation of 40 links, share buttons, the article (h1, byline, paragraphs, a subheading
every few paragraphs), a newsletter box, related links, reader comments and a footer.
Deterministic: the page of an article depends only on its text.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
import sys
from pathlib import Path

_SECTIONS = "World Politics Business Markets Technology Science Health Sport Culture Opinion Travel Weather"
_CSS = "".join(
    f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 997 % 4096:03x}}}\n" for i in range(600)
)
_SCRIPT = "".join(f"window.dl=window.dl||[];dl.push({{'e':'v{i}','t':{i * 31}}});\n" for i in range(500))


def page_of(text: str, name: str) -> str:
    """The saved page of one corpus_gen article (title, date line, paragraphs)."""
    rng = random.Random(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest())
    lines = [block for block in text.split("\n\n") if block.strip()]
    title, date_line, paragraphs = lines[0], lines[1], lines[2:]
    esc = html.escape
    body = []
    for i, paragraph in enumerate(paragraphs):
        if i and i % 4 == 0:
            body.append(f"<h2>{esc(' '.join(paragraph.split()[:5]).rstrip('.,'))}</h2>")
        body.append(f"<p>{esc(paragraph)}</p>")
    sections = _SECTIONS.split()
    nav = "".join(f'<li><a href="/{s.lower()}/{j}">{s} {j}</a></li>' for j in range(4) for s in sections[:10])
    related = "".join(
        f'<li><a href="/r/{rng.randrange(10**6)}">{esc(rng.choice(paragraphs)[:60])}</a></li>'
        for _ in range(10)
    )
    comments = "".join(
        f'<div class="comment"><span class="author">reader{rng.randrange(1000)}</span>'
        f"<p>{esc(rng.choice(paragraphs)[:200])}</p></div>"
        for _ in range(rng.randrange(3, 9))
    )
    footer = "".join(f'<a href="/about/{j}">About link {j}</a> ' for j in range(30))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | The Generated Times</title>
<link rel="canonical" href="https://times.example.com/{name}">
<meta property="og:site_name" content="The Generated Times">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{esc(title)}"}}</script>
<style>{_CSS}</style><script>{_SCRIPT}</script></head>
<body><div id="cookie-banner" class="cookie"><p>We use cookies to personalise content and ads.</p>
<button>Accept all</button><button>Settings</button></div>
<header><a class="logo" href="/">The Generated Times</a><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{esc(title)}</h1><p class="byline">By Staff Reporter · {esc(date_line)}</p>
<div class="share"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Email</a></div>
{"".join(body)}</article>
<aside class="newsletter"><h3>Newsletter</h3><p>Get the morning briefing in your inbox.</p></aside>
<aside class="related"><h3>Related</h3><ul>{related}</ul></aside>
<section id="comments"><h3>Comments</h3>{comments}</section></main>
<footer>{footer}<p>© The Generated Times</p></footer></body></html>"""


def generate(text_corpus: Path, out_dir: Path) -> list[Path]:
    """A page for each ``.txt`` under ``text_corpus``, at the same place under ``out_dir``."""
    paths = []
    for source in sorted(text_corpus.rglob("*.txt")):
        rel = source.relative_to(text_corpus).with_suffix(".html")
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_of(source.read_text("utf-8"), rel.as_posix()), encoding="utf-8")
        paths.append(target)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text_corpus", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    generate(args.text_corpus, args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
