"""The only place that starts, signals and stops processes.

``serve`` may run as PID 1 in a container: :class:`Supervisor` starts the engine and the
front, turns SIGTERM, SIGINT and SIGHUP into a drain (the front finishes what it
accepted, then the engine stops), exits when a child exits (non-zero if it died on its
own), and kills whatever they left behind in their process groups. Should ``serve``
itself be killed, the kernel signals them too (the engine's workers then lose their
frontend and exit), so nothing keeps holding the port. The rest are the small
pieces every other module uses instead of ``subprocess``: :func:`run` (pip, javac, the
bench's floors), :func:`spawn` and :func:`stop` (the bench's servers), :func:`exec_command`
(the images' entrypoint).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import re
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from serving.engine import Child
from serving.errors import ConfigError
from serving.net import http_status

log = logging.getLogger("serving")

GAVE_UP = 3  # serve's exit status when the supervisor stopped an engine that cannot serve
WATCH_INTERVAL_S = 0.5
# How often a child waiting for its start_after path looks again.
PATH_POLL_S = 0.05
# How long a child's last output may take to come through once it has exited.
COPIER_JOIN_S = 5

_REQUIREMENT_PATTERNS = (
    re.compile(r"No matching distribution found for ([^\s]+)"),
    re.compile(r"Could not find a version that satisfies the requirement ([^\s]+)"),
    re.compile(r"Invalid requirement: '([^']+)'"),
    re.compile(r"Failed to build ([^\s]+)"),
    re.compile(r"Cannot install ([^\s]+)"),
)


@dataclass(frozen=True)
class Completed:
    """A finished command: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run(
    command: Sequence[str],
    *,
    timeout_s: float | None = None,
    env: Mapping[str, str] | None = None,
    die_with_parent: int | None = None,
) -> Completed:
    """Run ``command`` to completion, capturing its output (a timeout raises
    ``subprocess.TimeoutExpired`` after killing it). ``die_with_parent``: as for
    :func:`spawn`."""
    result = subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=dict(env) if env is not None else None,
        check=False,
        preexec_fn=_dying_with_parent(die_with_parent),
    )
    return Completed(result.returncode, result.stdout, result.stderr)


def spawn(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    output: IO[bytes] | int | None = None,
    die_with_parent: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``command`` in a session (and process group) of its own, so that
    :func:`stop` can take it down with everything it started, and a terminal's Ctrl-C
    reaches only us. ``die_with_parent``: the signal the kernel sends it when this
    process dies, however that happens (SIGKILL included), so that nothing it started
    keeps the port."""
    return subprocess.Popen(
        list(command),
        env=dict(env),
        cwd=cwd,
        stdout=output,
        stderr=subprocess.STDOUT if output not in (None, subprocess.PIPE) else None,
        start_new_session=True,
        preexec_fn=_dying_with_parent(die_with_parent),
    )


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _dying_with_parent(signum: int | None) -> Callable[[], None] | None:
    """The ``preexec_fn`` that asks for ``signum`` when the parent dies; None for none."""
    return functools.partial(_die_with_parent, signum) if signum is not None else None


def _die_with_parent(signum: int) -> None:
    """In the child, before exec: ask for ``signum`` when the parent thread exits."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def kill_group(pgid: int) -> None:
    """SIGKILL a whole process group; gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def kill(pid: int) -> None:
    """SIGKILL one process; gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid``, read from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The command name may contain spaces; fields after the last ')' are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return sorted(children)


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs: a zombie (dead, not yet reaped by its parent)
    does not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] not in ("Z", "X")


def stop(process: subprocess.Popen[bytes], timeout_s: float = 20) -> int | None:
    """SIGTERM ``process`` (started by :func:`spawn`), wait up to ``timeout_s``, then
    SIGKILL its group and the groups of the children it started in sessions of their own
    (``serve`` starts the engine so). Returns the exit status, None if it had to be killed."""
    groups = [process.pid, *child_pids(process.pid)]
    try:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout_s)
        return process.poll()
    finally:
        for group in groups:
            kill_group(group)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def exec_command(argv: Sequence[str]) -> NoReturn:
    """Replace this process with ``argv`` (looked up on PATH); OSError if that fails."""
    os.execvp(argv[0], list(argv))


def failed_requirement(pip_output: str) -> str | None:
    """The requirement pip names as the one that failed, if it names one."""
    for pattern in _REQUIREMENT_PATTERNS:
        match = pattern.search(pip_output)
        if match:
            return match.group(1).rstrip(".,)")
    return None


def install_requirements(
    requirements: Path,
    python: str = sys.executable,
    *,
    environment: Path | None = None,
    timeout_s: float | None = None,
) -> Path | None:
    """``pip install -r code/requirements.txt``: into the serving environment, or, with
    ``environment``, into a new virtual environment of the model's own there, which sees
    the serving environment's packages: pip installs only what they lack or pin at
    another version, and never changes them. Returns that environment's site-packages
    (None without one). ConfigError naming the requirement that failed."""
    log.info("installing %s", requirements)
    started = time.perf_counter()
    command = [python, "-m", "pip"]
    site = None
    if environment is not None:
        site = model_environment(environment)
        command += ["--python", str(environment / "bin" / "python")]
    command += ["install", "--no-input", "--disable-pip-version-check", "-r", str(requirements)]
    try:
        result = run(command, timeout_s=timeout_s)
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"installing {requirements}: pip did not finish within {timeout_s:.0f} s"
        ) from None
    if result.returncode != 0:
        output = result.stdout + result.stderr
        culprit = failed_requirement(output)
        tail = "\n".join(output.strip().splitlines()[-8:])
        what = f"requirement {culprit!r} failed" if culprit else "pip failed"
        raise ConfigError(
            f"installing {requirements}: {what} (pip exit {result.returncode}). Fix the file, or "
            "set server.install_requirements: false (SERVING_INSTALL_REQUIREMENTS=false) for an "
            f"image whose dependencies are preinstalled.\n{tail}"
        )
    log.info("installed %s in %.1f s", requirements, time.perf_counter() - started)
    return site


def model_environment(directory: Path) -> Path:
    """A virtual environment without pip in ``directory``, for this interpreter, whose
    interpreter counts the serving environment's packages as installed (a ``.pth`` file
    naming them). Returns its site-packages."""
    result = run([sys.executable, "-m", "venv", "--without-pip", str(directory)])
    if result.returncode != 0:
        raise ConfigError(f"making the model's environment failed\n{result.stderr}")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = directory / "lib" / version / "site-packages"
    serving = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site_packages / "_serving_environment.pth").write_text("\n".join(serving) + "\n")
    return site_packages


def pass_output(source: IO[bytes], quiet_lines: Sequence[str], sink: IO[bytes]) -> None:
    """Copy a child's output to ``sink`` line by line as it comes, but the lines that
    start with one of ``quiet_lines``; returns when the child closes it."""
    quiet = tuple(line.encode() for line in quiet_lines)
    for line in source:
        if line.startswith(quiet):
            continue
        try:
            sink.write(line)
            sink.flush()
        except (OSError, ValueError):
            pass  # our own output is gone: drain on, so that the child never blocks


class Supervisor:
    """Runs the children of a launch (engine, then front), forwards stop signals as a
    drain, reports readiness, gives up on request, and cleans up.

    On SIGTERM, SIGINT or SIGHUP the children are stopped one by one in the reverse
    order of their start, each with its own stop signal and time: the front first (it
    stops accepting and finishes what it accepted), then the engine."""

    def __init__(self, children: Sequence[Child], cwd: Path) -> None:
        self.children = list(children)
        self.cwd = cwd
        self.processes: list[subprocess.Popen[bytes]] = []
        self.stopping = threading.Event()
        self.gave_up = threading.Event()
        self.give_up_reason = ""
        # Threads copying a child's output: joined once it has exited, so that its last
        # lines (why it died) come before ours.
        self.copiers: list[threading.Thread] = []

    def _on_signal(self, signum: int, _frame: object) -> None:
        log.info("received %s: draining", signal.Signals(signum).name)
        self.stopping.set()

    def run(
        self,
        ping_url: str | None = None,
        ready_timeout_s: float = 0,
        give_up: Callable[[], str | None] | None = None,
    ) -> int:
        """Start, wait, and return the exit status ``serve`` should exit with.

        ``give_up`` is asked every half second while the children run; a message from it
        is logged at ERROR and stops them, and ``serve`` exits with :data:`GAVE_UP`."""
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        started_at = time.monotonic()
        try:
            deadline = started_at + ready_timeout_s
            for child in self.children:
                if child.start_after is not None:
                    self._wait_for_path(child.start_after, deadline)
                if self.stopping.is_set() or not self._alive():
                    break
                started = spawn(
                    child.command,
                    env=child.environment,
                    cwd=self.cwd,
                    output=subprocess.PIPE if child.quiet_lines else None,
                    die_with_parent=child.death_signal,
                )
                self.processes.append(started)
                if child.quiet_lines:
                    assert started.stdout is not None
                    copier = threading.Thread(
                        target=pass_output,
                        args=(started.stdout, child.quiet_lines, sys.stdout.buffer),
                        daemon=True,
                    )
                    copier.start()
                    self.copiers.append(copier)
            if ping_url:
                threading.Thread(
                    target=self._report_ready,
                    args=(ping_url, started_at, ready_timeout_s),
                    daemon=True,
                ).start()
            if give_up is not None:
                threading.Thread(target=self._watch, args=(give_up,), daemon=True).start()
            died = self._wait_for_stop_or_death()
        finally:
            self._stop_all()
        if self.gave_up.is_set():
            # Again, once everything is quiet: the last line is the reason.
            log.error("exiting with status %d: %s", GAVE_UP, self.give_up_reason)
            return GAVE_UP
        if died is None:
            return 0
        child, code = died
        log.error("%s exited on its own with status %s", child.name, code)
        return code if code > 0 else 1

    def _wait_for_path(self, path: Path, deadline: float) -> None:
        """Until ``path`` exists, a child started so far dies, a stop is asked for, or
        ``deadline`` passes (the child is then started anyway, its failures in sight)."""
        while not path.exists() and time.monotonic() < deadline and self._alive():
            if self.stopping.wait(PATH_POLL_S):
                return

    def _wait_for_stop_or_death(self) -> tuple[Child, int] | None:
        while not self.stopping.wait(WATCH_INTERVAL_S / 2):
            for child, process in zip(self.children, self.processes, strict=False):
                code = process.poll()
                if code is not None:
                    return child, code
            _reap_orphans()
        return None

    def _stop_all(self) -> None:
        """Each child in the reverse order of its start: its stop signal, its time, then
        SIGKILL to its whole group."""
        for child, process in reversed(list(zip(self.children, self.processes, strict=False))):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(child.stop_signal)
                try:
                    process.wait(timeout=child.stop_timeout_s)
                except subprocess.TimeoutExpired:
                    seconds = child.stop_timeout_s
                    log.warning("%s did not stop in %.0f s: killed", child.name, seconds)
            kill_group(process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        for copier in self.copiers:
            copier.join(timeout=COPIER_JOIN_S)
        _reap_orphans()

    def _alive(self) -> bool:
        return all(process.poll() is None for process in self.processes)

    def _watch(self, give_up: Callable[[], str | None]) -> None:
        while not self.stopping.wait(WATCH_INTERVAL_S):
            if not self._alive():
                return
            reason = give_up()
            if reason is not None:
                log.error("%s; stopping", reason)
                self.give_up_reason = reason
                self.gave_up.set()
                self.stopping.set()
                return

    def _report_ready(self, url: str, started: float, timeout_s: float) -> None:
        deadline = started + timeout_s
        while time.monotonic() < deadline and not self.stopping.is_set():
            if not self._alive():
                return
            if http_status(url, timeout_s=2) == 200:
                log.info("ready: %s answered 200 after %.1f s", url, time.monotonic() - started)
                return
            time.sleep(0.5)
        if not self.stopping.is_set():
            log.warning("not ready after %.0f s; /ping still answers 503", timeout_s)


def _reap_orphans() -> None:
    """As PID 1 we inherit orphaned grandchildren; collect any that have exited."""
    if os.getpid() != 1:
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
