"""Benchmark hostile input: what ``gridgov validate`` costs on documents made to hurt it.

Each case is generated in a temporary directory (nothing is left in the repository) and
read by ``gridgov validate FILE`` in a subprocess of its own, whose time and peak memory
(the kernel's ``ru_maxrss`` of the child) are printed with its exit status and first
line of error:

- ``deep``: 50 MB of ``[`` inside a document object (nesting);
- ``wide array``: a 50 MB document that is one very wide array ``[0, 0, ...]``;
- ``zeros in people``: a 50 MB document of 25 M zeros in ``people``;
- ``tiny objects``: a 50 MB document of 16 M empty objects in ``people`` (the worst case
  of memory per byte);
- ``long text``: a 50 MB name;
- ``/dev/zero``: a device that never ends;
- ``brackets``: a 200 MB file of ``[``;
- ``households``: a valid 50 MB document of 1.6 M households in one zone (handled, not
  refused).

Then the read and write times of the liwan document (``gridgov simulate --preset liwan
--out``): ``gridgov.load`` of the file and ``gridgov.save`` of the jurisdiction (best of
N, in a subprocess).

``--baseline SRC`` measures everything again with another gridgov source tree (the tree
of an earlier commit, say ``git archive COMMIT src | tar -x -C /tmp/old``) in the same
run; every child runs under a memory cap (``--cap``, 6 GiB), so a reader that does not
bound itself is stopped there rather than exhausting the machine.

    python benchmarks/bench_hostile.py
    python benchmarks/bench_hostile.py --baseline /tmp/old/src --cap 4
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000


def _write(path: Path, head: bytes, unit: bytes, count: int, tail: bytes) -> Path:
    with open(path, "wb") as f:
        f.write(head)
        block = unit * 65536
        for _ in range(count // 65536):
            f.write(block)
        f.write(unit * (count % 65536))
        f.write(tail)
    return path


def _households(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"gridgov": "1", "organizations": [')
        f.write('{"id": "S1", "level": "street", "name": "s"}, ')
        f.write('{"id": "C1", "level": "community", "name": "c", "parent": "S1"}, ')
        f.write('{"id": "B1", "level": "branch", "name": "b", "parent": "C1"}, ')
        f.write('{"id": "G1", "level": "group", "name": "g", "parent": "B1"}, ')
        f.write('{"id": "Z1", "level": "zone", "name": "z", "parent": "G1", "households": [')
        f.write(", ".join(f'"H{i}"' for i in range(n)))
        f.write(']}], "households": [')
        f.write(", ".join(f'{{"id": "H{i}"}}' for i in range(n)))
        f.write("]}")
    return path


CASES: dict[str, Callable[[Path], Path | str]] = {
    "deep (50 MB of '[')": lambda d: _write(d / "deep.json", b'{"people": ', b"[", 50 * MB, b""),
    "wide array (50 MB)": lambda d: _write(d / "wide.json", b"[", b"0,", 25 * MB, b"0]"),
    "25 M zeros in people": lambda d: _write(
        d / "zeros.json", b'{"gridgov": "1", "people": [', b"0,", 25 * MB, b"0]}"
    ),
    "16 M {} in people": lambda d: _write(
        d / "objects.json", b'{"gridgov": "1", "people": [', b"{},", 16_666_666, b"{}]}"
    ),
    "a 50 MB name": lambda d: _write(
        d / "text.json",
        b'{"gridgov": "1", "people": [{"id": "P1", "name": "',
        b"x",
        50 * MB,
        b'"}]}',
    ),
    "/dev/zero": lambda d: "/dev/zero",
    "200 MB of '['": lambda d: _write(d / "brackets.json", b"", b"[", 200 * MB, b""),
    "1.6 M households, one zone (valid)": lambda d: _households(d / "households.json", 1_600_000),
}


def _capped(cap_gib: float) -> Callable[[], None]:
    def limit() -> None:
        size = int(cap_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def run_child(
    argv: list[str], src: str | None, cap_gib: float, timeout: float
) -> dict[str, object]:
    """Run ``python -m gridgov ARGV`` alone: its status, time, peak memory, first error."""
    env = dict(os.environ, GRIDGOV_DISABLE_PLUGIN_AUTOLOAD="1")
    if src is not None:
        env["PYTHONPATH"] = src
    code = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"p = subprocess.run([sys.executable, '-m', 'gridgov', *{argv!r}], "
        "capture_output=True, text=True, errors='replace', timeout=" + repr(timeout) + ")\n"
        "err = [line for line in p.stderr.splitlines() if line.strip()]\n"
        "print(json.dumps({'status': p.returncode, 'seconds': time.perf_counter() - t,\n"
        "    'peak_mib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,\n"
        "    'error': (err[-1] if err else '')[:110]}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=_capped(cap_gib),
            timeout=timeout + 60,
        )
    except subprocess.CalledProcessError as exc:
        tail = (exc.stderr or "").strip().splitlines()[-1:] or [""]
        return {"status": "?", "seconds": float("nan"), "peak_mib": float("nan"), "error": tail[0]}
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure_hostile(
    trees: dict[str, str | None], cap_gib: float, timeout: float
) -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict[str, dict[str, object]]] = {}
    with tempfile.TemporaryDirectory(prefix="gridgov-hostile-") as tmp:
        for case, make in CASES.items():
            if case == "/dev/zero" and not Path("/dev/zero").exists():
                continue
            target = make(Path(tmp))
            out[case] = {
                name: run_child(["validate", str(target)], src, cap_gib, timeout)
                for name, src in trees.items()
            }
            if isinstance(target, Path):
                target.unlink()
    return out


_LIWAN = """
import gc, json, sys, time
import gridgov
path, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
gc.disable()  # as the command runs
read = write = float("inf")
for _ in range(runs):
    t = time.perf_counter(); j = gridgov.load(path); read = min(read, time.perf_counter() - t)
    t = time.perf_counter(); gridgov.save(j, out); write = min(write, time.perf_counter() - t)
t = time.perf_counter(); text = gridgov.dumps(j); dumps = time.perf_counter() - t
print(json.dumps({"read_s": read, "write_s": write, "dumps_s": dumps,
                  "size_mb": len(text.encode()) / 1e6}))
"""


def measure_liwan(trees: dict[str, str | None], runs: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="gridgov-liwan-") as tmp:
        doc = Path(tmp, "liwan.json")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "gridgov",
                "simulate",
                "--preset",
                "liwan",
                "--quiet",
                "--no-validate",
                "--out",
                str(doc),
            ],
            check=True,
            capture_output=True,
            env=dict(os.environ, GRIDGOV_DISABLE_PLUGIN_AUTOLOAD="1"),
        )
        for name, src in trees.items():
            env = dict(os.environ, GRIDGOV_DISABLE_PLUGIN_AUTOLOAD="1")
            if src is not None:
                env["PYTHONPATH"] = src
            done = subprocess.run(
                [sys.executable, "-c", _LIWAN, str(doc), str(Path(tmp, "out.json")), str(runs)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            out[name] = json.loads(done.stdout.splitlines()[-1])
            out[name]["file_mb"] = doc.stat().st_size / 1e6
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="SRC", help="another gridgov source tree")
    parser.add_argument("--cap", type=float, default=6.0, help="memory cap per child, GiB")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per child")
    parser.add_argument("--runs", type=int, default=3, help="liwan read/write runs (best of)")
    parser.add_argument("--skip-liwan", action="store_true", help="only the hostile cases")
    args = parser.parse_args(argv)
    trees: dict[str, str | None] = {"this tree": None}
    if args.baseline:
        trees = {"baseline": args.baseline, "this tree": None}
    started = time.perf_counter()
    hostile = measure_hostile(trees, args.cap, args.timeout)
    width = max(len(case) for case in hostile)
    print(f"gridgov validate FILE (each in a subprocess, memory capped at {args.cap:g} GiB)")
    for case, by_tree in hostile.items():
        for name, r in by_tree.items():
            print(
                f"  {case:<{width}}  {name:>9}  exit {r['status']!s:>2}  "
                f"{r['seconds']:7.2f} s  {r['peak_mib']:8.0f} MiB  {r['error']}"
            )
    if not args.skip_liwan:
        liwan = measure_liwan(trees, args.runs)
        print("\nthe liwan document (gridgov simulate --preset liwan --out), best of runs")
        for name, r in liwan.items():
            print(
                f"  {name:>9}: {r['file_mb']:.1f} MB file; load {r['read_s']:.2f} s, "
                f"save {r['write_s']:.2f} s; dumps (indent 2, {r['size_mb']:.1f} MB) "
                f"{r['dumps_s']:.2f} s"
            )
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
