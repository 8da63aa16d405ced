"""How long `dp100` takes from process start to its first screen being ready.

Each round starts the real console script (`dp100`, as the README says) in a pseudo-terminal with a fresh data
home. The app writes a timestamp to a pipe when the Home screen has painted (`DP100_TUI_READY_FD`) and exits
(`DP100_TUI_EXIT_ON_READY`); the time from just before the process was spawned to that timestamp is one sample.
Baselines measured the same way in the same run: a bare `python -c pass`, and `python -c "import textual.app"`.

    .venv/bin/python benchmarks/startup.py [--rounds 12] [--json]

Target: median under 0.6 s.
"""
from __future__ import annotations

import argparse
import json
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.6


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def _command() -> list[str]:
    script = Path(sys.executable).with_name("dp100")
    return [str(script)] if script.exists() else [sys.executable, "-m", "course.cli"]


def time_app(home: Path, timeout: float = 30.0) -> float:
    """One sample: seconds from spawn to the first screen being ready."""
    read_fd, write_fd = os.pipe()
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DP100_")}
    env.update({"DP100_HOME": str(home), "DP100_TUI_READY_FD": str(write_fd), "DP100_TUI_EXIT_ON_READY": "1",
                "TERM": env.get("TERM", "xterm-256color"), "COLUMNS": "100", "LINES": "30"})
    drain = threading.Thread(target=_drain, args=(master,), daemon=True)
    drain.start()
    start = time.time()
    proc = subprocess.Popen(_command(), stdin=slave, stdout=slave, stderr=slave, env=env, pass_fds=(write_fd,),
                            cwd=ROOT, start_new_session=True)
    os.close(slave)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as f:
            line = f.readline()
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    if not line:
        raise RuntimeError("the app exited without reporting its first screen")
    return float(line.decode().strip()) - start


def time_python(code: str) -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return time.time() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="dp100-startup-"))
    try:
        time_app(tmp / "warm")  # warm the file cache and .pyc files
        samples = {"python -c pass": [], "import textual.app": [], "dp100 first screen": []}
        for i in range(args.rounds):
            samples["python -c pass"].append(time_python("pass"))
            samples["import textual.app"].append(time_python("import textual.app"))
            samples["dp100 first screen"].append(time_app(tmp / f"home-{i}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = {name: {"median": statistics.median(v), "min": min(v), "max": max(v), "rounds": len(v)}
              for name, v in samples.items()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'':24} {'median':>8} {'min':>8} {'max':>8}   ({args.rounds} rounds)")
        for name, r in report.items():
            print(f"{name:24} {r['median']:8.3f} {r['min']:8.3f} {r['max']:8.3f}")
        med = report["dp100 first screen"]["median"]
        print(f"\nfirst screen ready: median {med:.3f} s — {'within' if med < TARGET else 'OVER'} the {TARGET} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
