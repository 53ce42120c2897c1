"""Generate a deterministic, news-like corpus of plain-text articles for the benchmark.

    python tests/benchmarks/corpus_gen.py OUT_DIR [--articles N] [--seed S]

Each file has the shape the parser expects: a title line, a blank line, a date line such as
``30 July 2020``, a blank line, then paragraphs separated by blank lines. Word frequencies follow a
Zipf law over a fixed vocabulary (real function and news words first, then made-up words), lengths
are lognormal (clipped to 100-1500 words), dates spread over 2016-2023, and recurring multi-word
names ("Minsk group", "European Central Bank") appear the way they do in news. Pure stdlib, about
100,000 articles a minute on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
from pathlib import Path

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2023, 12, 31)
MIN_WORDS, MAX_WORDS = 100, 1500

# Ranked roughly by how common they are in news text; the Zipf law takes over from here.
_COMMON_LINES = (
    "the of to and a in that for on is said was with he it as at by from his be have has but are",
    "not they this an were which will had its been would who their more also after year we up one",
    "new about two there or than people all over other when last government could into first",
    "minister president state percent out some can told so officials country since them if no",
    "million market week military security prices oil talks only three her she years bank",
    "economic trade police may while against between before because most just those through where",
    "any city group economy world national foreign report under during public political support",
    "billion any officials month children water health law court war peace agreement deal",
    "election party vote leaders local region border forces ceasefire negotiations sanctions",
    "inflation growth company companies workers energy gas exports imports interest rates central",
    "international european union council committee investigation statement spokesman ministry",
    "capital parliament opposition protest attack killed wounded troops crisis plan policy budget",
    "tax development infrastructure project construction investment investors shares stocks bonds",
    "currency dollar euro rouble exchange demand supply production output factory farmers harvest",
    "drought flood earthquake fire storm hospital doctors vaccine schools students university",
    "research scientists climate emissions pipeline refinery shipping port airport railway",
    "highway bridge tourism hotel festival museum culture football championship",
)
COMMON_WORDS = [word for line in _COMMON_LINES for word in line.split()]

NAMES = [
    "Minsk group",
    "European Central Bank",
    "Federal Reserve",
    "International Monetary Fund",
    "World Bank",
    "United Nations Security Council",
    "European Union",
    "Nagorno-Karabakh",
    "South Caucasus",
    "Black Sea",
    "Caspian Sea",
    "Asian Development Bank",
    "World Health Organization",
    "Red Cross",
    "Council of Europe",
    "Supreme Court",
    "Central Election Commission",
    "State Oil Company",
    "Ministry of Foreign Affairs",
    "Prime Minister Novak",
]

_SYLLABLE_LINES = (
    "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro",
    "ru sa se si so su ta te ti to tu va ve vi vo za ze zo an en in on ar er or ul st tr pr gr kh sh ch",
)
_SYLLABLES = [syllable for line in _SYLLABLE_LINES for syllable in line.split()]


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    words = list(dict.fromkeys(COMMON_WORDS))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class ArticleMaker:
    """Makes article texts from one seeded random stream (same seed, same articles)."""

    def __init__(self, seed: int = 1, vocabulary: int = 40_000) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(vocabulary, random.Random(seed + 1))
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** 1.07 for rank in range(len(self.words))))
        self.name_cum = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(NAMES))))
        self.days = (LAST_DAY - FIRST_DAY).days

    def date(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange(self.days + 1))

    def text(self, date: dt.date | None = None) -> str:
        rng = self.rng
        date = date or self.date()
        n = min(MAX_WORDS, max(MIN_WORDS, int(rng.lognormvariate(5.9, 0.6))))
        words = rng.choices(self.words, cum_weights=self.cum, k=n)
        title_words = rng.choices(
            self.words[60:], cum_weights=self.cum[: len(self.words) - 60], k=rng.randint(4, 10)
        )
        # About a third of the articles are about a named subject (Zipf over NAMES), which they
        # repeat; any article may mention another name in passing, rarely.
        topic = rng.choices(NAMES, cum_weights=self.name_cum)[0] if rng.random() < 0.33 else None
        if topic is not None and rng.random() < 0.5:
            title_words.insert(rng.randrange(len(title_words) + 1), topic)
        title = " ".join(title_words)
        paragraphs = []
        i = 0
        while i < n:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                if i >= n:
                    break
                length = rng.randint(8, 28)
                sentence = words[i : i + length]
                i += length
                if topic is not None and rng.random() < 0.15:
                    sentence.insert(rng.randrange(len(sentence) + 1), topic)
                elif rng.random() < 0.01:
                    sentence.insert(
                        rng.randrange(len(sentence) + 1), rng.choices(NAMES, cum_weights=self.name_cum)[0]
                    )
                sentences.append(" ".join(sentence).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        head = f"{title[0].upper()}{title[1:]}\n\n{date.day} {date:%B %Y}\n\n"
        return head + "\n\n".join(paragraphs) + "\n"


def generate(out_dir: Path, articles: int, seed: int = 1) -> list[Path]:
    """Write ``articles`` files under ``out_dir/YYYY/MM/``; return their paths."""
    maker = ArticleMaker(seed)
    paths = []
    folders: set[Path] = set()
    for number in range(1, articles + 1):
        date = maker.date()
        folder = out_dir / f"{date:%Y}" / f"{date:%m}"
        if folder not in folders:
            folder.mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        path = folder / f"article-{number:06d}.txt"
        path.write_text(maker.text(date), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.out_dir, args.articles, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
