"""Start-up of the standalone build next to the installed app: ``bench.py --bundle PROGRAM``.

Both are started as a person starts them, as fresh processes on a real X display (Xvfb when
$DISPLAY is not set), over the same corpus with an index already built (warm disk: one unmeasured
launch first), and timed from the moment the process is launched to the moment the X server
reports its window viewable (``xdotool search --pid PID --onlyvisible``, polled every 10 ms).
The bundle runs in a clean environment (``env -i``), the installed app in this one. Then SIGTERM
closes each window, which must exit with 0. Also reports the bundle's size on disk.

Needs Xvfb (when there is no display) and xdotool, from the system's packages.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.01
CLEAN_PATH = "/usr/bin:/bin"


def log(message: str) -> None:
    print(f"[bundle] {message}", file=sys.stderr, flush=True)


def start_display() -> tuple[str, subprocess.Popen[bytes] | None]:
    """$DISPLAY, or a new Xvfb on a free display number (its own -displayfd choice)."""
    if os.environ.get("DISPLAY"):
        return os.environ["DISPLAY"], None
    if shutil.which("Xvfb") is None:
        raise SystemExit("bench: --bundle needs an X display or Xvfb")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        # -noreset: by default Xvfb resets when its last client leaves, refusing connections meanwhile.
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    return f":{number}", xvfb


def installed_command() -> list[str]:
    """The installed app the way a user starts it: the venv's launcher, else python -m reader."""
    launcher = Path(sys.executable).parent / "corpus-reader"
    return [str(launcher)] if launcher.is_file() else [sys.executable, "-m", "reader"]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process (all its threads) has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch_once(command: list[str], env: dict[str, str], timeout: float = 60) -> tuple[float, float]:
    """Seconds from launch to a viewable window of the process, and the CPU seconds it used by
    then (the part of the start that does not depend on how busy the machine is); the window
    is closed after."""
    t0 = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    search = ["xdotool", "search", "--pid", str(proc.pid), "--onlyvisible", "--classname", "corpus-reader"]
    try:
        while True:
            found = subprocess.run(
                search,
                env={"DISPLAY": env["DISPLAY"], "PATH": CLEAN_PATH},
                capture_output=True,
                check=False,
            )
            if found.returncode == 0 and found.stdout.strip():
                seconds = time.monotonic() - t0
                cpu = cpu_seconds(proc.pid)
                break
            if proc.poll() is not None:
                raise RuntimeError(f"exited {proc.returncode}: {proc.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("no window")
            time.sleep(POLL_S)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"{command[0]} exited {proc.returncode} on SIGTERM: {err.decode()[-500:]}")
        return seconds, cpu
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def measure(bundle_program: Path, corpus: Path | None, repeat: int) -> dict[str, Any]:
    bundle_program = bundle_program.absolute()
    display, xvfb = start_display()
    work = Path(tempfile.mkdtemp(prefix="corpus-reader-bundle-bench-"))
    try:
        home = work / "home"
        home.mkdir()
        clean = {"HOME": str(home), "PATH": CLEAN_PATH, "DISPLAY": display}
        here = dict(os.environ, DISPLAY=display, PYTHONPATH=str(ROOT))
        here.pop("QT_QPA_PLATFORM", None)
        apps = {"bundle": ([str(bundle_program)], clean), "installed": (installed_command(), here)}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
        for name, (command, env) in apps.items():
            data = work / f"data-{name}"
            args = ["--data-dir", str(data)] + (["--corpus", str(corpus)] if corpus else [])
            apps[name] = ([*command, *args], env)
            # The index built first: the launches below open an unchanged corpus.
            subprocess.run([*command, *args, "index"], env=env, check=True, capture_output=True, timeout=3600)
            launch_once(apps[name][0], env)  # warm the disk cache; not measured
        for _ in range(repeat):
            for name, (command, env) in apps.items():
                try:
                    runs[name].append(launch_once(command, env))
                except RuntimeError as exc:  # e.g. the X server refused a connection once
                    log(f"{name}: a launch failed, measured again: {exc}")
                    runs[name].append(launch_once(command, env))
        log(f"runs: {runs}")
        out: dict[str, Any] = {
            name: {
                "median_s": round(statistics.median(wall for wall, _ in v), 3),
                "min_s": round(min(wall for wall, _ in v), 3),
                "cpu_median_s": round(statistics.median(cpu for _, cpu in v), 3),
                "runs": v,
            }
            for name, v in runs.items()
        }
        out["ratio_bundle_to_installed"] = round(out["bundle"]["median_s"] / out["installed"]["median_s"], 2)
        folder = bundle_program.parent
        out["bundle_size_mb"] = round(folder_size(folder) / 1e6, 1)
        out["display"] = "Xvfb" if xvfb else display
        return out
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict[str, Any], repeat: int) -> str:
    b, i = results["bundle"], results["installed"]
    return "\n".join(
        [
            f"Window viewable after launch, unchanged corpus, {repeat} launches each ({results['display']}):",
            f"  standalone bundle (env -i): median {b['median_s']} s, best {b['min_s']} s"
            f" (CPU used by then: {b['cpu_median_s']} s)",
            f"  installed app (venv):       median {i['median_s']} s, best {i['min_s']} s"
            f" (CPU used by then: {i['cpu_median_s']} s)",
            f"  bundle / installed: {results['ratio_bundle_to_installed']}x",
            f"Bundle size unpacked: {results['bundle_size_mb']} MB",
            f"Target window ≤ 1.0 s: [{'met ' if b['median_s'] <= 1.0 else 'MISS'}] {b['median_s']} s; "
            f"size < 200 MB: [{'met ' if results['bundle_size_mb'] < 200 else 'MISS'}]",
        ]
    )
