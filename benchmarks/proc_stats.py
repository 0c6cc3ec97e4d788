"""CPU time and memory of a process tree, from Linux /proc (None elsewhere), and a measured run.

`run_measured` runs a command to its end, timing it; the kernel gives the main process's peak RSS
(wait4's ru_maxrss) and a `TreeSampler` polls /proc every 0.2 s for the whole tree: summed PSS and
CPU seconds of the process and all its descendants (extraction workers, forkserver).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def _stat(pid: int | str) -> list[str] | None:
    """/proc/PID/stat fields after the command name (field 3 onwards), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far, or None if gone."""
    fields = _stat(pid)
    return None if fields is None else _stat_cpu(fields)


def _stat_cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # exited meanwhile
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match[1]) * 1024 if match else 0


class TreeSampler:
    """Peak memory and CPU time of a process together with its descendants (extraction workers,
    forkserver), sampled. The kernel's own peak (wait4's ru_maxrss) covers the main process
    only: the workers hang off a forkserver the archiver never reaps.

    Memory is summed PSS, not RSS: forked workers share pages, and summed RSS counts them twice.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_pss = 0
        self.cpu: dict[int, float] = {}  # pid → CPU seconds when last seen
        self.started: dict[int, str] = {}  # pid → start time: tells a reused pid apart

    def sample(self) -> None:
        stats = {int(e.name): _stat(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()}
        tree = _tree(self.root, {pid: int(f[1]) for pid, f in stats.items() if f})
        self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in tree))
        self.cpu.update({pid: _stat_cpu(stats[pid]) for pid in tree if stats[pid]})
        self.started.update({pid: stats[pid][19] for pid in tree if stats[pid]})  # start time

    def stop_leftovers(self, grace: float = 3.0) -> list[int]:
        """SIGTERM the descendants seen earlier that outlive the archiver by `grace` s (the
        forkserver and resource tracker need a moment to notice); their pids."""
        deadline = time.monotonic() + grace
        while (alive := self._alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        return alive

    def _alive(self) -> list[int]:
        return [
            pid
            for pid, started in self.started.items()
            if pid != self.root and (fields := _stat(pid)) and fields[19] == started
        ]

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def _tree(root: int, parents: dict[int, int]) -> set[int]:
    if root not in parents:
        return set()
    tree, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - tree
        tree |= frontier
    return tree


@dataclass
class Measured:
    exit_code: int
    wall_s: float
    main_rss_mb: float
    tree_pss_mb: float | None
    cpu_s: float | None
    stdout: str
    stderr: str
    leftovers: list[int]  # descendants that outlived the command and were stopped


def run_measured(command: list[str], workdir: Path, env: dict[str, str], cwd: Path) -> Measured:
    """Run the archiver to its end, timing it and sampling its process tree."""
    out_path, err_path = workdir / "stdout.json", workdir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        sampler = TreeSampler(proc.pid)
        try:
            status, usage = _wait_sampling(proc.pid, sampler)
        except BaseException:
            _stop(proc.pid)
            sampler.stop_leftovers()
            raise
        wall = time.perf_counter() - start
    leftovers = sampler.stop_leftovers()
    proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it ourselves (wait4)
    return Measured(
        exit_code=proc.returncode,
        wall_s=wall,
        main_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        tree_pss_mb=sampler.peak_pss / 2**20 or None,
        cpu_s=sampler.cpu_seconds or None,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        leftovers=leftovers,
    )


def _wait_sampling(pid: int, sampler: TreeSampler):
    # os.wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in the earlier runs.
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if sys.platform == "linux":
            sampler.sample()
        time.sleep(0.2)


def _stop(pid: int) -> None:
    """Stop an archiver we have not reaped: SIGINT lets it shut its workers down; escalate."""
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.kill(pid, sig)  # SIGINT may be its second (the tty's): it only ever sets a flag
            if _reaped(pid, grace):
                return
        except KeyboardInterrupt:
            continue  # a second Ctrl-C: escalate now
        except (ProcessLookupError, ChildProcessError):
            return


def _reaped(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return True
        time.sleep(0.1)
    return False
