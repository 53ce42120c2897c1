#!/usr/bin/env python3
"""Build Corpus Reader as a program that runs without Python (see the README, "Build the download").

    python resources/packaging/build.py --out DIR

Makes DIR/corpus-reader/ (the one-folder bundle; its program is DIR/corpus-reader/corpus-reader)
and DIR/corpus-reader-VERSION-linux-x86_64.tar.gz, then runs the bundle in a clean environment
to check it (bundle_checks.py). On Windows the folder holds corpus-reader.exe and the archive
is a .zip; on macOS the result is DIR/Corpus Reader.app and a .zip of it (not run here).

The freezer is PyInstaller (why: pyproject.toml, the `build` extra): the build venv under
--work gets the project from a wheel of this checkout, its runtime dependencies, and the
`build` extra (PyInstaller); nothing is installed into the Python running this script, which
needs only the standard library.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP = "corpus-reader"


def version() -> str:
    text = (ROOT / "reader" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit("build: no __version__ in reader/__init__.py")
    return found.group(1)


def system_name() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))


def machine_name() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def run(command: list[str | Path], **kwargs: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)  # type: ignore[call-overload]


def clean_environment() -> dict[str, str]:
    """This process's environment without what would make the build venv see another Python's
    packages (an activated venv, PYTHONPATH, user site-packages)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def prepare_venv(venv: Path, python: str, work: Path, env: dict[str, str]) -> Path:
    """The build venv with this checkout's wheel and its `build` extra installed; returns its
    Python. Reused between builds; the project itself is reinstalled every time."""
    py = venv_python(venv)
    if not py.exists():
        run([python, "-m", "venv", venv], env=env)
    wheels = work / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    run([py, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT], env=env)
    (wheel,) = wheels.glob("*.whl")
    run([py, "-m", "pip", "install", "--quiet", f"{wheel}[build]"], env=env)
    # The same version number, new code: replace the copy installed by an earlier build.
    run([py, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel], env=env)
    return py


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder`` (links not followed, each file once)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def make_archive(out: Path, product: Path, name: str) -> Path:
    """The download: a .tar.gz on Linux (keeps the executable bit and links), else a .zip."""
    if sys.platform.startswith("linux") or sys.platform.startswith(("freebsd", "openbsd")):
        archive = out / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(product, arcname=product.name, filter=_normalized)
        return archive
    archive = out / f"{name}.zip"
    if sys.platform == "darwin":
        # ditto keeps the app's symbolic links and extended attributes, which zipfile does not.
        run(["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", product, archive])
        return archive
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(product.rglob("*")):
            zf.write(path, path.relative_to(product.parent))
    return archive


def _normalized(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Whoever unpacks it owns the files; no build-machine user names in the download.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="where the bundle and archive go"
    )
    parser.add_argument(
        "--work",
        type=Path,
        metavar="DIR",
        help="build venv and PyInstaller's work files (default: DIR/.work)",
    )
    parser.add_argument(
        "--python", default=sys.executable, help="the Python the build venv is made from (default: this one)"
    )
    parser.add_argument("--no-check", action="store_true", help="do not run the clean-environment checks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = args.out.expanduser().absolute()
    work = (args.work or out / ".work").expanduser().absolute()
    work.mkdir(parents=True, exist_ok=True)
    env = clean_environment()
    started = time.monotonic()

    py = prepare_venv(work / "venv", args.python, work, env)
    run(
        [
            py,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            out,
            "--workpath",
            work / "pyinstaller",
            HERE / "corpus-reader.spec",
        ],
        env=env,
        cwd=work,  # not the checkout: `reader` must come from the installed wheel
    )

    ver = version()
    name = f"{APP}-{ver}-{system_name()}-{machine_name()}"
    product = out / ("Corpus Reader.app" if sys.platform == "darwin" else APP)
    archive = make_archive(out, product, name)
    size = folder_size(product)
    print(f"\nBuilt {product} in {time.monotonic() - started:.0f} s")
    print(f"  unpacked: {size / 1e6:.1f} MB in {sum(1 for _ in product.rglob('*'))} files and folders")
    print(f"  download: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")

    if args.no_check:
        return 0
    if not sys.platform.startswith("linux"):
        print("The clean-environment checks run on Linux only; start the program by hand to try it.")
        return 0
    sys.path.insert(0, str(HERE))
    import bundle_checks

    print("\nChecking the download in a clean environment (env -i, no venv):")
    installed = py.parent / (APP + (".exe" if sys.platform == "win32" else ""))
    failures = bundle_checks.run_checks(
        archive, ver, work / "checks", report=print, reference=[str(installed)]
    )
    if failures:
        print(f"\n{len(failures)} check(s) failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
