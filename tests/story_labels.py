"""A labelled set for stories: real articles, the versions a news archive gets of them, and
distinct articles on the same topics that must stay apart.

The originals are 54 Wikinews articles on shared topics (``tests/data/wikinews``). Each gets
versions like those agencies and outlets publish (deterministic, from a seeded generator):

- ``wire``: another title, a dateline before the first paragraph, a source line at the end;
- ``update``: two or three sentences rewritten, a new paragraph added, a new title;
- ``correction``: a number or name changed in one sentence, and a correction note at the end;
- ``dropped``: one paragraph left out;
- ``rewire``: all of it at once (dateline, title, a sentence rewritten, a paragraph left out).

``make_labelled_set(folder)`` writes them and returns which file came from which original.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "wikinews"
KINDS = ("wire", "update", "correction", "dropped", "rewire")

_AGENCIES = ("Reuters", "AFP", "AP", "dpa", "ANSA", "EFE", "PA Media", "Kyodo")
_CITIES = ("LONDON", "PARIS", "NEW YORK", "BERLIN", "HONG KONG", "MADRID", "WASHINGTON", "DELHI")
_NEW_SENTENCES = (
    "Officials said the figures could still change as more information became available.",
    "A spokesperson declined to comment further on Tuesday evening.",
    "Local media reported that an investigation had been opened into the events.",
    "The government said it would publish a full report within the next few weeks.",
    "Witnesses described scenes of confusion in the hours that followed.",
    "Further details were expected to be released at a press conference later in the day.",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def originals() -> list[Path]:
    return sorted(DATA.glob("*.txt"))


def _split(path: Path) -> tuple[str, str, list[str]]:
    lines = path.read_text("utf-8").split("\n\n")
    title, date = lines[0].strip(), lines[1].strip()
    paragraphs = [p.strip() for p in lines[2:] if p.strip()]
    return title, date, paragraphs


def _write(folder: Path, name: str, title: str, date: str, paragraphs: list[str], source: str = "") -> None:
    text = f"{title}\n\n{date}\n\n" + "\n\n".join(paragraphs) + "\n"
    if source:
        text += "\n\u00a0\n" + source + "\n"
    (folder / name).write_text(text, encoding="utf-8")


def _rewrite_sentences(rng: random.Random, paragraphs: list[str], count: int) -> list[str]:
    out = list(paragraphs)
    for _ in range(count):
        k = rng.randrange(len(out))
        sentences = _SENTENCE.split(out[k])
        sentences[rng.randrange(len(sentences))] = rng.choice(_NEW_SENTENCES)
        out[k] = " ".join(sentences)
    return out


def _correct(rng: random.Random, paragraphs: list[str]) -> list[str]:
    out = list(paragraphs)
    for k in rng.sample(range(len(out)), len(out)):
        numbers = re.findall(r"\b\d+\b", out[k])
        if numbers:
            n = rng.choice(numbers)
            out[k] = re.sub(rf"\b{n}\b", str(int(n) + rng.randint(1, 9)), out[k], count=1)
            break
    else:
        out[0] = out[0].replace(" the ", " a ", 1)
    out.append("Correction: an earlier version of this article gave a wrong figure; it has been corrected.")
    return out


def _drop(rng: random.Random, paragraphs: list[str]) -> list[str]:
    if len(paragraphs) < 3:
        return list(paragraphs)
    out = list(paragraphs)
    del out[rng.randrange(1, len(out))]
    return out


def make_labelled_set(folder: Path, seed: int = 7) -> dict[str, str]:
    """Write the originals and their versions into ``folder``; return ``file name -> original``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}
    for i, path in enumerate(originals()):
        title, date, paragraphs = _split(path)
        key = f"{i:02d}"
        _write(folder, f"{key}-original.txt", title, date, paragraphs)
        labels[f"{key}-original.txt"] = key
        agency = rng.choice(_AGENCIES)
        dateline = f"{rng.choice(_CITIES)}, {date} ({agency}) - "
        versions = {
            "wire": (f"{agency}: {title}", [dateline + paragraphs[0], *paragraphs[1:]], f"Source: {agency}"),
            "update": (
                f"UPDATE 2-{title}",
                [*_rewrite_sentences(rng, paragraphs, rng.choice((2, 3))), rng.choice(_NEW_SENTENCES)],
                "",
            ),
            "correction": (f"CORRECTED-{title}", _correct(rng, paragraphs), ""),
            "dropped": (title, _drop(rng, paragraphs), ""),
            "rewire": (
                title.upper(),
                _drop(rng, _rewrite_sentences(rng, [dateline + paragraphs[0], *paragraphs[1:]], 1)),
                f"Source: {agency} / {rng.choice(_AGENCIES)}",
            ),
        }
        for kind in KINDS:
            v_title, v_paragraphs, source = versions[kind]
            name = f"{key}-{kind}.txt"
            _write(folder, name, v_title, date, v_paragraphs, source)
            labels[name] = key
    return labels


def pair_scores(found: dict[str, int], labels: dict[str, str]) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of a clustering (``name -> story``) against ``labels``;
    also the true positive, false positive and false negative pair counts."""
    names = sorted(labels)
    tp = fp = fn = 0
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            same = labels[names[a]] == labels[names[b]]
            together = found.get(names[a]) is not None and found.get(names[a]) == found.get(names[b])
            tp += same and together
            fp += together and not same
            fn += same and not together
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn
