"""Stories: articles that are copies or near-copies of one another, found by MinHash and LSH.

Each article's body (its stemmed words from ``wordstore.py``, sentence marks left out) is cut
into overlapping word triples (shingles); two articles whose shingle sets have a Jaccard
similarity of at least ``THRESHOLD`` are versions of one story, and stories are the connected
groups of that relation. A wire copy under another title, source line or dateline, an update
that changes a few sentences, a correction, the text with a paragraph dropped: all keep most
of their triples. Two articles on the same topic share words but hardly any triples.

MinHash (Broder 1997) signs each article with ``NUM_PERM`` minimum hashes of its shingles
(16 bits each: 256 bytes an article); the share of equal positions in two signatures estimates
their Jaccard similarity. Locality-sensitive hashing cuts the signatures into ``BANDS`` bands of
``ROWS`` rows; only articles that agree on a whole band are compared. The signatures and story
ids live in the word store beside the index (not in memory: the window holds none of it), so
stories survive restarts, and an update re-examines only the articles added or changed and the
stories that lost a member. ``THRESHOLD`` and the banding were chosen on the labelled set in
``tests/unit/test_stories.py`` (variants of real articles against distinct articles on the same
topics); see the README for its precision and recall.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reader.core.catalog import Catalog
from reader.core.story_lookup import story_sizes
from reader.core.wordstore import BOUNDARY, Changes, ProgressFn, WordStore, store_path, unpack

NUM_PERM = 128
BANDS, ROWS = 64, 2
#: Candidate pairs whose similarity is estimated at once (each copies two signatures).
ESTIMATE_CHUNK = 8192
SHINGLE = 3
#: Jaccard similarity (of word-triple sets) from which two articles are versions of one story.
THRESHOLD = 0.43
#: A pair whose estimated similarity is within this of ``THRESHOLD`` is decided by the exact
#: Jaccard of its triples: 128 hashes estimate it to about ±0.04, so two distinct articles that
#: share 41% of their triples (interviews built on one questionnaire) would otherwise join in
#: about one build of five, by chance of the hashing.
MARGIN = 0.12
#: A body of fewer words is no evidence of copying ("Markets closed.", a caption): no story.
MIN_WORDS = 10
#: In an LSH bucket holding more articles than this, each is compared with this many only.
BUCKET_CAP = 64

_rng = np.random.RandomState(20201110)
_SEEDS = _rng.randint(1, 1 << 62, NUM_PERM, dtype=np.uint64)
_MIX = _rng.randint(1, 1 << 62, SHINGLE, dtype=np.uint64) | np.uint64(1)
_BAND_MIX = _rng.randint(1, 1 << 62, ROWS, dtype=np.uint64) | np.uint64(1)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)

Signature = npt.NDArray[np.uint16]


def _mix(z: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every input bit moves every output bit (arithmetic wraps)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    out: npt.NDArray[np.uint64] = z ^ (z >> np.uint64(31))
    return out


def shingle_hashes(body: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the word triples of ``body`` (term ids; sentence marks dropped)."""
    words = body[body != BOUNDARY].astype(np.uint64)
    if len(words) == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(SHINGLE, len(words))
    h = np.zeros(len(words) - k + 1, dtype=np.uint64)
    for i in range(k):
        h = h * _MIX[i] + words[i : len(words) - k + 1 + i]
    out: npt.NDArray[np.uint64] = np.unique(_mix(h))
    return out


def signature(body: npt.NDArray[np.uint32]) -> Signature | None:
    """The MinHash signature of an article body, or None when it has fewer than ``MIN_WORDS``
    words. Each of the ``NUM_PERM`` hash functions is SplitMix64's finaliser of the shingle
    hash xor a seed (multiply-shift ``a·h + b`` is 12% faster but its permutations are
    correlated: on the labelled set it overestimated one pair by 0.11); a signature keeps the
    low 16 bits of each minimum (b-bit MinHash, Li and König 2010: two different minima agree
    by chance once in 65,536 times, a negligible bias)."""
    if int(np.count_nonzero(body != BOUNDARY)) < MIN_WORDS:
        return None
    h = shingle_hashes(body)
    values = _mix(h[None, :] ^ _SEEDS[:, None])
    sig: Signature = (values.min(axis=1) & np.uint64(0xFFFF)).astype("<u2")
    return sig


def similarity(a: Signature, b: Signature) -> float:
    """The Jaccard similarity estimated from two signatures."""
    return float(np.mean(a == b))


def sign_into(store: WordStore) -> Callable[[int, list[int], int], None]:
    """``WordStore.update``'s per-article hook: store the article's signature."""

    def on_article(doc_id: int, ids: list[int], body_start: int) -> None:
        sig = signature(np.asarray(ids[body_start:], dtype=np.uint32))
        store.db.execute(
            "UPDATE docs SET sig = ? WHERE id = ?", (sig.tobytes() if sig is not None else None, doc_id)
        )

    return on_article


# --- clustering ------------------------------------------------------------------------------


class _Sets:
    """Union-find over 0..n-1."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return int(root)

    def roots(self) -> npt.NDArray[np.int64]:
        """Every element's root (``find`` of each), by pointer jumping over the whole array."""
        root: npt.NDArray[np.int64] = self.parent.copy()
        while True:
            up: npt.NDArray[np.int64] = root[root]
            if np.array_equal(up, root):
                return root
            root = up

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def recluster(store: WordStore) -> int:
    """Give a story to every article added or changed since the last run and to the other
    members of every story that lost one; returns how many articles were looked at."""
    db = store.db
    pending = db.execute(
        "SELECT EXISTS (SELECT 1 FROM docs WHERE story IS NULL) OR EXISTS (SELECT 1 FROM dirty)"
    ).fetchone()[0]
    if not pending:
        return 0
    dirty = {s for (s,) in db.execute("SELECT story FROM dirty")}
    n = int(db.execute("SELECT count(*) FROM docs").fetchone()[0])
    if n == 0:
        with store.transaction():
            db.execute("DELETE FROM dirty")
        return 0
    # Filled row by row (not fetchall): 100,000 signatures as Python objects would take ~40 MB.
    doc_ids = np.zeros(n, dtype=np.int64)
    sigs = np.zeros((n, NUM_PERM), dtype=np.uint16)
    signed = np.zeros(n, dtype=bool)
    old: list[int | None] = []
    n = 0
    for doc_id, sig, story in db.execute("SELECT id, sig, story FROM docs ORDER BY id"):
        if n == len(doc_ids):
            break  # (rows added meanwhile wait for the next run: their story is NULL)
        doc_ids[n] = doc_id
        if sig is not None:
            sigs[n] = np.frombuffer(sig, dtype="<u2")
            signed[n] = True
        old.append(story)
        n += 1
    doc_ids, sigs, signed = doc_ids[:n], sigs[:n], signed[:n]
    affected = np.fromiter((s is None or s in dirty for s in old), dtype=bool, count=n)
    sets = _Sets(n)
    # Untouched stories stay whole: each member under the story's first member.
    untouched = np.flatnonzero(~affected)
    if len(untouched):
        ids = np.fromiter((old[i] for i in untouched.tolist()), dtype=np.int64, count=len(untouched))
        _, first, which = np.unique(ids, return_index=True, return_inverse=True)
        sets.parent[untouched] = untouched[first[which]]
    exact = _ExactJaccard(store)
    for i, j, estimate in _candidates(sigs, signed, affected):
        if abs(estimate - THRESHOLD) >= MARGIN or exact(int(doc_ids[i]), int(doc_ids[j])) >= THRESHOLD:
            sets.union(i, j)
    _write_stories(store, doc_ids, old, affected, sets)
    return int(affected.sum())


class _ExactJaccard:
    """The exact Jaccard similarity of two stored articles' word triples (a few hundred
    articles' triples kept: the borderline pairs of one run share members)."""

    def __init__(self, store: WordStore, keep: int = 512) -> None:
        self._store = store
        self._keep = keep
        self._shingles: dict[int, npt.NDArray[np.uint64]] = {}

    def _of(self, doc_id: int) -> npt.NDArray[np.uint64]:
        got = self._shingles.get(doc_id)
        if got is None:
            row = self._store.db.execute(
                "SELECT tokens, body_start FROM docs WHERE id = ?", (doc_id,)
            ).fetchone()
            got = shingle_hashes(unpack(row[0])[row[1] :]) if row else np.zeros(0, dtype=np.uint64)
            if len(self._shingles) >= self._keep:
                self._shingles.clear()
            self._shingles[doc_id] = got
        return got

    def __call__(self, a: int, b: int) -> float:
        x, y = self._of(a), self._of(b)
        if len(x) == 0 or len(y) == 0:
            return 0.0
        common = len(np.intersect1d(x, y, assume_unique=True))
        return common / (len(x) + len(y) - common)


def _candidates(
    sigs: npt.NDArray[np.uint16], signed: npt.NDArray[np.bool_], affected: npt.NDArray[np.bool_]
) -> Iterable[tuple[int, int, float]]:
    """Pairs (one of them affected) that share an LSH band and whose estimated similarity
    reaches ``THRESHOLD - MARGIN``, with that estimate."""
    pairs: set[tuple[int, int]] = set()
    members = np.flatnonzero(signed)
    touched_members = affected[members]
    for band in range(BANDS):
        part = sigs[members, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        keys = (part * _BAND_MIX[None, :]).sum(axis=1)  # wraps: a hash of the band
        # Only the buckets of a re-examined article matter: the members sharing one of their
        # keys, in the members' order (so each bucket holds the same articles in the same order).
        near = np.flatnonzero(np.isin(keys, keys[touched_members]))
        band_members, keys = members[near], keys[near]
        order = np.argsort(keys, kind="stable")
        ks = keys[order]
        starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
        lengths = np.diff(np.r_[starts, len(ks)])
        for s, length in zip(starts[lengths > 1].tolist(), lengths[lengths > 1].tolist(), strict=True):
            bucket = band_members[order[s : s + length]]
            touched = bucket[affected[bucket]]
            if len(touched) == 0:
                continue
            others = bucket if len(bucket) <= BUCKET_CAP else bucket[:BUCKET_CAP]
            for i in touched.tolist():
                for j in others.tolist():
                    if i != j:
                        pairs.add((i, j) if i < j else (j, i))
                if len(bucket) > BUCKET_CAP and i not in others:
                    pairs.add((int(others[0]), i))
    if not pairs:
        return []
    pa = np.array(sorted(pairs), dtype=np.int64)
    estimate = np.zeros(len(pa), dtype=np.float64)
    # A few thousand pairs at a time: each pair copies two signatures (100,000 pairs at once
    # took 64 MB at 1% changed of 100,000 articles, the window's peak during a sync).
    for k in range(0, len(pa), ESTIMATE_CHUNK):
        chunk = pa[k : k + ESTIMATE_CHUNK]
        estimate[k : k + ESTIMATE_CHUNK] = (sigs[chunk[:, 0]] == sigs[chunk[:, 1]]).mean(axis=1)
    keep = estimate >= THRESHOLD - MARGIN
    return [(int(i), int(j), float(e)) for (i, j), e in zip(pa[keep], estimate[keep], strict=True)]


def _write_stories(
    store: WordStore,
    doc_ids: npt.NDArray[np.int64],
    old: list[int | None],
    affected: npt.NDArray[np.bool_],
    sets: _Sets,
) -> None:
    db = store.db
    # Only the stories that hold a re-examined article can change: the others keep their id
    # and need no list of members (100,000 lists took 27 MB).
    root = sets.roots()
    wanted = np.isin(root, np.unique(root[affected]))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(wanted).tolist():
        groups[int(root[i])].append(i)
    row = db.execute("SELECT value FROM meta WHERE key = 'next_story'").fetchone()
    next_story = max(int(row[0]) if row else 1, max((s for s in old if s is not None), default=0) + 1)
    taken = {old[i] for i in np.flatnonzero(~affected).tolist()}
    updates: list[tuple[int, int]] = []
    for members in groups.values():
        kept = [s for s in (old[i] for i in members if not affected[i]) if s is not None]
        story: int
        if kept:
            story = min(kept)
        else:
            # A story made only of re-examined articles keeps the id most of them had.
            votes = Counter(s for s in (old[i] for i in members) if s is not None and s not in taken)
            if votes:
                story = votes.most_common(1)[0][0]
            else:
                story, next_story = next_story, next_story + 1
        taken.add(story)
        updates.extend((story, int(doc_ids[i])) for i in members if old[i] != story)
    with store.transaction():
        db.executemany("UPDATE docs SET story = ? WHERE id = ?", updates)
        db.execute("DELETE FROM dirty")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('next_story', ?)", (next_story,))


# --- the service ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    id: int
    paths: list[str]  # oldest version first

    def to_json(self) -> dict[str, object]:
        return {"story": self.id, "articles": self.paths}


def update_stories(
    index_dir: Path,
    corpus: Path,
    catalog: Catalog,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
) -> Changes:
    """Bring the word store and the stories level with the catalog (after a sync)."""
    store = WordStore(store_path(index_dir))
    try:
        changes = store.update(corpus, catalog, cancel, progress, sign_into(store))
        if not changes.cancelled:
            recluster(store)
        return changes
    finally:
        store.close()


class Stories:
    """Reads the stories of one index folder (one per thread)."""

    def __init__(self, index_dir: Path, readonly: bool = False) -> None:
        path = store_path(index_dir)
        self.store: WordStore | None = None
        if path.exists() or not readonly:
            try:
                self.store = WordStore(path, readonly=readonly)
            except Exception:
                self.store = None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def version(self) -> int:
        """Changes whenever another connection changed the stories (SQLite's data_version)."""
        if self.store is None:
            return 0
        return int(self.store.db.execute("PRAGMA data_version").fetchone()[0])

    def of(self, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
        """``path -> (story, number of versions)``; paths not yet in a story are left out."""
        if self.store is None:
            return {}
        return story_sizes(self.store.db, paths)

    def versions(self, story: int) -> list[str]:
        """The paths of a story's articles, oldest first (undated last)."""
        if self.store is None:
            return []
        rows = self.store.db.execute(
            "SELECT path FROM docs WHERE story = ? ORDER BY date IS NULL, date, path", (story,)
        )
        return [p for (p,) in rows]

    def stories(self, paths: Iterable[str] | None = None) -> list[Story]:
        """Every story (each with all its versions); with ``paths``, the stories of those
        articles, in the order their first article comes in ``paths``."""
        if self.store is None:
            return []
        rows = self.store.db.execute(
            "SELECT story, path, date FROM docs WHERE story IS NOT NULL ORDER BY date IS NULL, date, path"
        )
        by_story: dict[int, list[str]] = defaultdict(list)
        story_of: dict[str, int] = {}
        latest: dict[int, str] = {}
        for story, path, date in rows:
            by_story[story].append(path)
            story_of[path] = story
            if date:
                latest[story] = date
        if paths is None:
            # The newest story (by its latest version) first, undated stories last.
            order = sorted(by_story, key=lambda s: (s not in latest, _negated(latest.get(s, "")), s))
            return [Story(s, by_story[s]) for s in order]
        out: list[Story] = []
        seen: set[int] = set()
        for path in paths:
            s = story_of.get(path)
            if s is not None and s not in seen:
                seen.add(s)
                out.append(Story(s, by_story[s]))
        return out


def _negated(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)
