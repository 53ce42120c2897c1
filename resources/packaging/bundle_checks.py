"""Run a built bundle the way a user's machine would, and check what it does (Linux).

The download is unpacked into a folder whose name has spaces; every run is
``env -i HOME=… PATH=/usr/bin:/bin`` (no venv, no PYTHONPATH, no locale), started from another
folder, with the bundle read-only: as root through a read-only bind mount in a private mount
namespace (``unshare -m``), which even root cannot write through; otherwise by taking the write
bits away. A snapshot of the bundle's files before and after proves that nothing wrote into it.

Used by build.py after each build and by the slow test tests/packaging/test_bundle.py.
Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tarfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

APP = "corpus-reader"
CLEAN_PATH = "/usr/bin:/bin"
# Several words and a non-ASCII letter: the bundle must not care where it is unpacked.
UNPACK_FOLDER = "Downloads for Jürgen/Corpus Reader test"
ENTRY_FOLDER = "my articles, été"

Report = Callable[[str], None]


class CheckFailed(AssertionError):
    """One check's finding, in a sentence."""


@dataclass
class Bundle:
    """An unpacked bundle and a place to run it."""

    folder: Path
    version: str
    work: Path
    mount_read_only: bool = False
    #: The same app installed (the build venv's `corpus-reader`), to compare answers with.
    reference: list[str] | None = None
    runs: list[str] = field(default_factory=list)

    @property
    def executable(self) -> Path:
        return self.folder / APP

    @property
    def bundled_corpus(self) -> Path:
        return self.folder / "_internal" / "reader" / "_corpus"

    def environment(self, home: Path, extra: dict[str, str] | None) -> dict[str, str]:
        return {"HOME": str(home), "PATH": CLEAN_PATH, **(extra or {})}

    def command(self, args: list[str], env: dict[str, str], hide: Sequence[Path] = ()) -> list[str]:
        """The command line of one run: env -i …, wrapped in a mount namespace when root."""
        clean = ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), str(self.executable), *args]
        if not self.mount_read_only:
            return clean
        script = (
            'set -e; ro=$1; shift; mount --bind "$ro" "$ro"; mount -o remount,bind,ro "$ro"; '
            'while [ "$1" != -- ]; do mount --bind /dev/null "$1"; shift; done; shift; exec "$@"'
        )
        unshare = shutil.which("unshare") or "/usr/bin/unshare"
        return [unshare, "-m", "/bin/sh", "-c", script, "sh", str(self.folder), *map(str, hide), "--", *clean]

    def run(
        self,
        *args: str | Path,
        home: Path,
        cwd: Path | None = None,
        hide: Sequence[Path] = (),
        timeout: float = 300,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run the bundle's program with ``args`` in the clean environment (plus ``env``)."""
        command = self.command([str(a) for a in args], self.environment(home, env), hide)
        self.runs.append(" ".join(str(a) for a in args))
        return subprocess.run(
            command,
            cwd=cwd or self.work,
            env={},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )

    def popen(
        self, *args: str | Path, home: Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """Start the bundle's program like ``run``, without waiting for it."""
        command = self.command([str(a) for a in args], self.environment(home, env))
        return subprocess.Popen(
            command,
            cwd=cwd or self.work,
            env={},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )


def expect(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def ok(done: subprocess.CompletedProcess[str], what: str) -> str:
    expect(done.returncode == 0, f"{what}: exit {done.returncode}: {done.stderr.strip()[-600:]}")
    expect("Traceback" not in done.stderr, f"{what}: a traceback on stderr:\n{done.stderr[-1500:]}")
    return done.stdout


def json_of(done: subprocess.CompletedProcess[str], what: str) -> object:
    text = ok(done, what)
    try:
        return json.loads(text)
    except ValueError:
        raise CheckFailed(f"{what}: not JSON: {text[:300]!r}") from None


# --- the checks ------------------------------------------------------------------------------


def check_version(b: Bundle, home: Path) -> None:
    out = ok(b.run("--version", home=home, cwd=Path("/")), "--version")
    expect(out.strip() == f"{APP} {b.version}", f"--version printed {out.strip()!r}")


def commands(b: Bundle, home: Path) -> set[str]:
    """The subcommands ``--help`` lists (argparse: one per line, indented, under COMMAND)."""
    out = ok(b.run("--help", home=home), "--help")
    return set(re.findall(r"^ {4}([a-z][a-z-]+)(?: |$)", out, re.MULTILINE))


def check_help_lists_the_commands(b: Bundle, home: Path) -> None:
    listed = commands(b, home)
    for command in ("index", "search", "concordance", "annotations", "install-desktop"):
        expect(command in listed, f"--help does not list {command} (it lists {sorted(listed)})")


def check_search_over_the_bundled_corpus(b: Bundle, home: Path) -> None:
    data = json_of(b.run("search", "Minsk group", "--json", home=home), "search 'Minsk group' --json")
    assert isinstance(data, dict)
    articles = {p.name for p in b.bundled_corpus.iterdir()}
    expect(data.get("total", 0) >= 1, f"search over the bundled corpus found nothing: {data}")
    hit = data["hits"][0]
    expect(hit["path"] in articles, f"the hit {hit['path']!r} is not a bundled article ({sorted(articles)})")
    expect("minsk" in hit["snippet"].lower(), f"the snippet does not show the words: {hit['snippet']!r}")


def _own_corpus(b: Bundle) -> Path:
    corpus = b.work / ENTRY_FOLDER
    if corpus.exists():
        shutil.rmtree(corpus)
    (corpus / "Europa").mkdir(parents=True)
    (corpus / "Europa" / "über die brücke.txt").write_text(
        "Die neue Brücke über den Rhein\n\n12. März 2021\n\n"
        "Die Stadt hat die neue Brücke über den Rhein eröffnet. Tausende Menschen kamen zur Feier.\n\n"
        "Der Bau dauerte drei Jahre; die Brücke verbindet zwei Stadtteile.\n",
        encoding="utf-8",
    )
    (corpus / "harbour.md").write_text(
        "Warehouse fire in the harbour\n\n2019-01-05\n\n"
        "A fire destroyed a warehouse near the harbour on Saturday.\n\n"
        "Negotiations about compensation began the same week.\n",
        encoding="utf-8",
    )
    # A saved web page and a feed: read by the app's HTML and feed readers where it has them
    # (their libraries and data files must be in the bundle), else not articles at all.
    (corpus / "web").mkdir()
    (corpus / "web" / "lighthouse.html").write_text(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Lighthouse keeper retires"
        "</title><meta name=date content=2022-05-04></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Lighthouse keeper retires</h1><p>After forty years the keeper of the "
        "lighthouse on the northern cape has retired. The light is automatic now, and the "
        "harbour office will look after the lamp.</p><p>Fishermen gave the keeper a brass "
        "barometer as a farewell gift at a ceremony by the pier.</p></article>"
        "<footer>Copyright the Coastal Gazette</footer></body></html>\n",
        encoding="utf-8",
    )
    (corpus / "web" / "coast.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coastal Gazette'
        "</title><link>https://example.org/</link><description>News</description>"
        "<item><title>Storm closes the pier</title><link>https://example.org/storm</link>"
        "<guid>storm-1</guid><pubDate>Tue, 03 May 2022 08:00:00 GMT</pubDate><description>"
        "A storm closed the pier for two days; the ferry to the island did not sail."
        "</description></item><item><title>Ferry sails again</title><link>https://example.org/ferry"
        "</link><guid>ferry-1</guid><pubDate>Thu, 05 May 2022 08:00:00 GMT</pubDate><description>"
        "The ferry to the island sailed again on Thursday after the storm.</description></item>"
        "</channel></rss>\n",
        encoding="utf-8",
    )
    return corpus


def check_commands_over_a_corpus_of_ones_own(b: Bundle, home: Path) -> None:
    corpus = _own_corpus(b)
    data_dir = b.work / "data for own corpus"
    shutil.rmtree(data_dir, ignore_errors=True)
    common = ["--corpus", str(corpus), "--data-dir", str(data_dir)]
    # The first index reads the files in spawned worker processes (forced here, the corpus being
    # small): each worker, the bundle's program started again, must become a worker, not the app.
    pool = {"CORPUS_READER_WORKERS": "2", "CORPUS_READER_POOL_MIN_FILES": "1"}
    indexed = b.run(*common, "index", "--json", home=home, env=pool)
    expect("one process" not in indexed.stderr, f"index in worker processes: {indexed.stderr.strip()}")
    summary = json_of(indexed, "index --json")
    assert isinstance(summary, dict)
    # Two text articles, and the page and feed where the app reads those formats.
    expect(summary.get("added", 0) >= 2 and not summary.get("problems"), f"index --json: {summary}")

    found = json_of(b.run(*common, "search", "Brücke", "--json", home=home), "search Brücke --json")
    assert isinstance(found, dict)
    paths = [hit["path"] for hit in found["hits"]]
    expect(paths == ["Europa/über die brücke.txt"], f"search Brücke found {paths}")
    stemmed = json_of(b.run(*common, "search", "negotiation", "--json", home=home), "search negotiation")
    assert isinstance(stemmed, dict)
    expect([h["path"] for h in stemmed["hits"]] == ["harbour.md"], f"search negotiation: {stemmed}")

    kwic = json_of(b.run(*common, "concordance", "Brücke", "--json", home=home), "concordance --json")
    assert isinstance(kwic, dict)
    expect(kwic.get("total") == 3, f"concordance Brücke: {kwic.get('total')} occurrences, expected 3")

    if "show" in commands(b, home):  # the command arrives with the feed/HTML formats
        shown = ok(b.run(*common, "show", "harbour.md", "--json", home=home), "show --json")
        article = json.loads(shown.splitlines()[0])
        expect(article.get("title") == "Warehouse fire in the harbour", f"show --json: {article}")

    # A highlight imported by its quote, listed, exported: the annotations database works.
    notes = b.work / "highlight.json"
    notes.write_text(
        json.dumps(
            [
                {
                    "type": "Annotation",
                    "target": {
                        "source": "harbour.md",
                        "selector": [{"type": "TextQuoteSelector", "exact": "destroyed a warehouse"}],
                    },
                    "body": {"type": "TextualBody", "value": "check this"},
                }
            ]
        ),
        encoding="utf-8",
    )
    ok(b.run(*common, "annotations", "import", notes, home=home), "annotations import")
    listed = json_of(b.run(*common, "annotations", "list", "--json", home=home), "annotations list --json")
    assert isinstance(listed, list)
    expect(
        len(listed) == 1
        and listed[0]["exact"] == "destroyed a warehouse"
        and listed[0]["state"] == "anchored",
        f"annotations list --json: {listed}",
    )
    markdown = ok(b.run(*common, "annotations", "export", "--format", "markdown", home=home), "export")
    expect("destroyed a warehouse" in markdown and "check this" in markdown, "the Markdown export lacks it")


#: Commands the checks above try by name; others that appear are tried by check_other_commands.
KNOWN_COMMANDS = {
    "index",
    "search",
    "concordance",
    "annotations",
    "show",
    "install-desktop",
    "uninstall-desktop",
}


def required_positionals(usage: str, command: str) -> list[str]:
    """The required positional arguments in argparse's usage text of ``command``."""
    tail = usage.split(f" {command}", 1)[-1] if f" {command}" in usage else usage
    depth, kept = 0, []
    for char in tail:
        depth += char in "[{("
        if depth == 0:
            kept.append(char)
        depth -= char in "]})"
    return [word for word in "".join(kept).split() if not word.startswith("-") and word != "..."]


def check_other_commands(b: Bundle, home: Path) -> None:
    """Every further command the app has (stories, keywords …, as they are added) runs in the
    bundle over a corpus of its own: the libraries and data files each needs came along."""
    corpus = _own_corpus(b)
    common = ["--corpus", str(corpus), "--data-dir", str(b.work / "data for other commands")]
    ok(b.run(*common, "index", home=home), "index")
    others = sorted(commands(b, home) - KNOWN_COMMANDS)
    if not others:
        raise CheckSkipped("no other commands")
    for command in others:
        usage = ok(b.run(command, "--help", home=home), f"{command} --help")
        args = ["fire"] * len(required_positionals(usage.split("\n\n")[0], command))
        as_json = "--json" in usage
        done = b.run(*common, command, *args, *(["--json"] if as_json else []), home=home)
        if as_json:  # one JSON document, or JSON Lines
            text = ok(done, f"{command} {' '.join(args)} --json")
            try:
                json.loads(text)
            except ValueError:
                for line in filter(None, text.splitlines()):
                    json_of(subprocess.CompletedProcess([], 0, line, ""), f"{command} --json, a line")
        else:
            ok(done, f"{command} {' '.join(args)}")


def check_same_answers_as_the_installed_app(b: Bundle, home: Path) -> None:
    """The bundle and the installed app (the build venv's, same wheel) give the same JSON for
    the same commands over the same corpus: nothing the frozen app lacks changes an answer."""
    if b.reference is None:
        raise CheckSkipped("no installed app to compare with (a prebuilt archive)")
    corpus = _own_corpus(b)
    queries = [["index", "--json"], ["search", "fire", "--json"], ["search", "Brücke", "--json"]]
    queries += [["search", "ferry", "--json"], ["search", "lighthouse", "--json"]]
    queries += [["concordance", "the", "--json"], ["annotations", "list", "--json"]]
    for command in sorted(commands(b, home) - KNOWN_COMMANDS):
        usage = ok(b.run(command, "--help", home=home), f"{command} --help")
        if "--json" in usage:
            args = ["fire"] * len(required_positionals(usage.split("\n\n")[0], command))
            queries.append([command, *args, "--json"])
    answers: dict[str, list[str]] = {}
    for name, run in (("bundle", b.run), ("installed", _reference_runner(b))):
        data_dir = b.work / f"data compared {name}"
        shutil.rmtree(data_dir, ignore_errors=True)
        answers[name] = [
            ok(run("--corpus", corpus, "--data-dir", data_dir, *query, home=home), " ".join(query)).replace(
                str(data_dir), "DATA"
            )
            for query in queries
        ]
    for query, frozen, installed in zip(queries, answers["bundle"], answers["installed"], strict=True):
        expect(
            frozen == installed,
            f"{' '.join(query)}: the bundle answered {frozen[:300]!r}, the installed app {installed[:300]!r}",
        )


def _reference_runner(b: Bundle) -> Callable[..., subprocess.CompletedProcess[str]]:
    assert b.reference is not None
    reference = b.reference

    def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
        clean = ["/usr/bin/env", "-i", f"HOME={home}", f"PATH={CLEAN_PATH}", *reference, *map(str, args)]
        return subprocess.run(
            clean, cwd=b.work, env={}, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            encoding="utf-8", errors="replace", timeout=300, check=False,
        )  # fmt: skip

    return run


def check_no_display_is_explained(b: Bundle, home: Path) -> None:
    data_dir = b.work / "data without display"
    done = b.run("--data-dir", data_dir, home=home)
    expect(done.returncode == 1, f"without a display the window exited {done.returncode}, expected 1")
    expect("DISPLAY is not set" in done.stderr, f"without a display it said: {done.stderr.strip()[-400:]!r}")
    log = data_dir / "corpus-reader.log"
    expect(log.exists() and "DISPLAY is not set" in log.read_text("utf-8"), "the log does not say why")


def _system_library(name: str) -> Path | None:
    try:
        listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return None
    for line in listing.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].split(" ")[0] == name and "x86-64" in parts[0]:
            return Path(parts[1])
    return None


def check_missing_x11_library_is_named(b: Bundle, home: Path) -> None:
    """The start-up check in the bundle: with libxcb-cursor made unloadable (an empty file bound
    over it in the private mount namespace), the window names the library and its package."""
    if not b.mount_read_only:
        raise CheckSkipped("needs root and unshare to hide a system library")
    library = _system_library("libxcb-cursor.so.0")
    if library is None:
        raise CheckSkipped("libxcb-cursor.so.0 is not installed here")
    done = b.run("--data-dir", b.work / "data x11", home=home, hide=[library], env={"DISPLAY": ":0"})
    expect(done.returncode == 1, f"with libxcb-cursor hidden the window exited {done.returncode}")
    expect(
        "libxcb-cursor.so.0" in done.stderr and "libxcb-cursor0" in done.stderr,
        f"with libxcb-cursor hidden it said: {done.stderr.strip()[-500:]!r}",
    )


def check_install_desktop_points_at_the_bundle(b: Bundle, home: Path) -> None:
    out = ok(b.run("install-desktop", home=home), "install-desktop")
    entry = home / ".local" / "share" / "applications" / f"{APP}.desktop"
    expect(entry.exists(), f"install-desktop wrote no {entry} ({out.strip()})")
    lines = entry.read_text("utf-8").splitlines()
    exe = str(b.executable)
    expect(f'Exec="{exe}" %F' in lines, f"the entry's Exec is not the bundle's program: {lines}")
    expect(f"TryExec={exe}" in lines, "the entry's TryExec is not the bundle's program")
    expect((home / ".local/share/icons/hicolor/48x48/apps/corpus-reader.png").exists(), "no icon installed")
    ok(b.run("uninstall-desktop", home=home), "uninstall-desktop")
    expect(not entry.exists(), "uninstall-desktop left the entry")


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            _, err = proc.communicate()
            raise CheckFailed(f"the window exited ({proc.returncode}) before {what}: {err.strip()[-800:]}")
        if time.monotonic() > deadline:
            raise CheckFailed(f"no {what} within {timeout:.0f} s")
        time.sleep(0.05)


def check_window_offscreen(b: Bundle, home: Path) -> None:
    """The window starts, indexes, takes a second launch's request, and closes on SIGTERM."""
    data_dir = b.work / "window data"
    shutil.rmtree(data_dir, ignore_errors=True)
    corpus = _own_corpus(b)
    log = data_dir / "corpus-reader.log"

    def log_text() -> str:
        return log.read_text("utf-8", errors="replace") if log.exists() else ""

    env = {"QT_QPA_PLATFORM": "offscreen"}
    proc = b.popen("--corpus", corpus, "--data-dir", data_dir, home=home, cwd=Path("/"), env=env)
    try:
        _wait_for(lambda: "Listening for later launches" in log_text(), proc, "window", 60)
        catalogs = data_dir / "cache" / "indexes"
        _wait_for(lambda: any(catalogs.glob("*/catalog.sqlite3")), proc, "index built by the window", 120)
        up_since = time.monotonic()
        article = corpus / "harbour.md"
        second = b.run("--data-dir", data_dir, article, home=home, timeout=60, env=env)
        ok(second, "a second launch")
        _wait_for(lambda: "Another launch asked" in log_text(), proc, "hand-off to the open window", 30)
        _wait_for(lambda: time.monotonic() - up_since > 3, proc, "three seconds up", 10)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    expect(proc.returncode == 0, f"the window exited {proc.returncode} on SIGTERM: {err.strip()[-800:]}")
    expect("Traceback" not in err, f"a traceback from the window:\n{err[-1500:]}")
    # As `python` does (PEP 538), the bundle moves a bare C locale to UTF-8 before Qt starts.
    expect("Detected locale" not in err, f"Qt complained about the locale: {err.strip()[-400:]}")
    expect("Closing on SIGTERM" in log_text(), "the log does not say the window closed on SIGTERM")
    settings = (data_dir / "settings.ini").read_text("utf-8", errors="replace")
    expect("geometry" in settings, "the window did not save its state when it closed")


class CheckSkipped(Exception):
    """A check that cannot run here, and why."""


CHECKS: list[tuple[str, Callable[[Bundle, Path], None]]] = [
    ("version", check_version),
    ("help", check_help_lists_the_commands),
    ("search the bundled corpus", check_search_over_the_bundled_corpus),
    ("index, search, concordance, show, annotations", check_commands_over_a_corpus_of_ones_own),
    ("every other command", check_other_commands),
    ("same answers as the installed app", check_same_answers_as_the_installed_app),
    ("no display", check_no_display_is_explained),
    ("missing X11 library", check_missing_x11_library_is_named),
    ("install-desktop", check_install_desktop_points_at_the_bundle),
    ("window offscreen", check_window_offscreen),
]


# --- setting up and running ------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under ``folder`` with its mode, size and modification time."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        found[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def _can_mount_read_only(folder: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "/bin/sh",
            "-c",
            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"',
            str(folder),
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _set_writable(folder: Path, writable: bool) -> None:
    bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod((mode | stat.S_IWUSR) if writable else (mode & ~bits))


def unpack(archive: Path, into: Path) -> Path:
    """Unpack the download into ``into`` (emptied first); return the bundle's folder."""
    if into.exists():
        _set_writable(into, True)
        shutil.rmtree(into)
    into.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar" if hasattr(tarfile, "tar_filter") else None)
    folder = into / APP
    if not (folder / APP).is_file():
        raise CheckFailed(f"the archive has no {APP}/{APP}")
    return folder


def run_checks(
    archive: Path, version: str, work: Path, report: Report = print, reference: list[str] | None = None
) -> list[str]:
    """Unpack ``archive`` under ``work`` and run every check; return the names of those failed.
    ``reference`` is the command of the same app installed, to compare answers with."""
    failed = []
    for name, outcome in iterate_checks(archive, version, work, reference):
        status, _, detail = outcome.partition(": ")
        report(f"  {status:<5} {name}" + (f": {detail}" if detail else ""))
        if status == "FAIL":
            failed.append(name)
    return failed


def iterate_checks(
    archive: Path, version: str, work: Path, reference: list[str] | None = None
) -> Iterator[tuple[str, str]]:
    """(check name, "ok" / "skip: why" / "FAIL: why") for each check, as they run."""
    work = work.absolute()
    folder = unpack(archive, work / UNPACK_FOLDER)
    read_only_mount = _can_mount_read_only(folder)
    _set_writable(folder, False)
    bundle = Bundle(folder, version, work, mount_read_only=read_only_mount, reference=reference)
    before = snapshot(folder)
    home = work / "home"
    try:
        for name, check in CHECKS:
            if home.exists():
                shutil.rmtree(home)
            home.mkdir(parents=True)
            try:
                check(bundle, home)
            except CheckSkipped as why:
                yield name, f"skip: {why}"
            except (CheckFailed, subprocess.TimeoutExpired, OSError) as why:
                yield name, f"FAIL: {why}"
            else:
                yield name, "ok"
        how = "a read-only mount" if read_only_mount else "no write permission"
        after = snapshot(folder)
        changed = sorted(
            set(before) ^ set(after) | {p for p in before if p in after and before[p] != after[p]}
        )
        if changed:
            yield f"nothing written into the bundle ({how})", f"FAIL: changed {changed[:10]}"
        else:
            yield f"nothing written into the bundle ({how})", "ok"
    finally:
        _set_writable(folder, True)
