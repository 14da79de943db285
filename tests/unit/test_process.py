"""The process module's small pieces, with real (short) child processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from serving import process
from tests.support.servers import group_alive

# Ignores SIGTERM and starts a grandchild in the same group: only a group kill ends both.
STUBBORN = (
    "import signal, subprocess, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print('up', flush=True)\n"
    "time.sleep(60)\n"
)


def test_run_captures_output_and_status() -> None:
    done = process.run([sys.executable, "-c", "import sys; print('out'); sys.exit(3)"])
    assert (done.returncode, done.stdout, done.stderr) == (3, "out\n", "")


def test_run_kills_a_command_past_its_timeout() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        process.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout_s=0.5)


# Runs a long command through process.run, asking for SIGKILL should this parent die.
RUNS_A_CHILD = (
    "import signal, sys\n"
    "from serving import process\n"
    "code = 'import os, time; print(os.getpid(), flush=True); time.sleep(60)'\n"
    "process.run([sys.executable, '-c', code], die_with_parent=signal.SIGKILL)\n"
)


def test_a_run_command_dies_with_the_process_that_ran_it(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", RUNS_A_CHILD])
    try:
        deadline = time.monotonic() + 30
        children: list[int] = []
        while not children and time.monotonic() < deadline:
            children = process.child_pids(parent.pid)
            time.sleep(0.05)
        [child] = children
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Path(f"/proc/{child}").exists(), "the command outlived its parent"
    finally:
        parent.kill()
        parent.wait(timeout=10)


def test_stop_takes_down_the_whole_group_of_a_stubborn_process(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    with open(log, "wb") as output:
        child = process.spawn([sys.executable, "-c", STUBBORN], env=dict(os.environ), output=output)
        deadline = time.monotonic() + 30
        while b"up" not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.getpgid(child.pid) == child.pid  # a group of its own
        assert process.stop(child, timeout_s=0.5) is None  # SIGTERM ignored: killed
    assert child.poll() == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while group_alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(child.pid)


def test_stop_returns_the_status_of_a_process_that_exits_on_sigterm() -> None:
    child = process.spawn([sys.executable, "-c", "import time; time.sleep(30)"], env={})
    assert process.stop(child, timeout_s=10) == -signal.SIGTERM


def test_a_zombie_is_not_running_and_a_live_process_is() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert process.running(child.pid)
        assert child.stdin is not None
        child.stdin.close()  # it exits; not reaped yet, it stays a zombie
        deadline = time.monotonic() + 30
        while process.running(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not process.running(child.pid)
        assert os.path.exists(f"/proc/{child.pid}")  # a zombie still, until waited for
    finally:
        child.kill()
        child.wait()
    assert not process.running(child.pid)


def test_child_pids_lists_direct_children_only() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in process.child_pids(os.getpid())
    finally:
        child.kill()
        child.wait(timeout=10)


# serve's supervisor around a stand-in engine that ignores SIGTERM for a moment and then
# exits: the supervisor must forward the signal, wait for the engine, and exit 0.
SUPERVISED = (
    "import sys\n"
    "from pathlib import Path\n"
    "from serving.process import Supervisor\n"
    "engine = [sys.executable, '-c', '''\n"
    "import signal, sys, time\n"
    "def stop(*_):\n"
    "    print('engine got SIGTERM', flush=True)\n"
    "    sys.exit(0)\n"
    "signal.signal(signal.SIGTERM, stop)\n"
    "print('engine up', flush=True)\n"
    "time.sleep(60)\n"
    "''']\n"
    "from serving.engine import Child\n"
    "child = Child('the stand-in', tuple(engine), {})\n"
    "sys.exit(Supervisor([child], Path('.')).run())\n"
)


def test_the_supervisor_forwards_sigterm_and_exits_0_when_asked_to_stop(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    with open(log, "wb") as output:
        command = [sys.executable, "-c", SUPERVISED]
        serve = process.spawn(command, env=dict(os.environ), output=output)
        try:
            deadline = time.monotonic() + 30
            while b"engine up" not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.05)
            engine = process.child_pids(serve.pid)
            serve.send_signal(signal.SIGTERM)
            assert serve.wait(timeout=20) == 0
        finally:
            process.stop(serve, timeout_s=1)
    text = log.read_text()
    assert "engine got SIGTERM" in text
    assert engine and not any(group_alive(pid) for pid in engine)


def test_pass_output_drops_the_quiet_lines_and_keeps_draining_when_the_sink_fails() -> None:
    source = io.BytesIO(b"Model server started.\nkept 1\nnvidia-smi not available: x\nkept 2\n")
    sink = io.BytesIO()
    process.pass_output(source, ("Model server started.", "nvidia-smi"), sink)
    assert sink.getvalue() == b"kept 1\nkept 2\n"

    class Gone(io.BytesIO):
        def write(self, data: Any) -> int:
            raise BrokenPipeError

    source = io.BytesIO(b"a\nb\nc\n")
    process.pass_output(source, (), Gone())
    assert source.read() == b""  # all read: the child would never block on its output


# Two stand-in children: the first makes a file after a moment; the second, which waits
# for it, says whether it was there when it started. The first's quiet line is dropped.
STARTS_AFTER = (
    "import sys\n"
    "from pathlib import Path\n"
    "from serving.engine import Child\n"
    "from serving.process import Supervisor\n"
    "flag = Path(sys.argv[1])\n"
    "first = (sys.executable, '-c', 'import pathlib, sys, time; "
    'print("Model server started.", flush=True); print("first up", flush=True); '
    "time.sleep(0.5); pathlib.Path(sys.argv[1]).touch(); time.sleep(60)', str(flag))\n"
    "second = (sys.executable, '-c', 'import os, sys; "
    'print("second saw", os.path.exists(sys.argv[1]), flush=True)\', str(flag))\n'
    "children = [Child('first', first, {}, quiet_lines=('Model server started.',)),\n"
    "            Child('second', second, {}, start_after=flag)]\n"
    "sys.exit(Supervisor(children, Path('.')).run(ready_timeout_s=30))\n"
)


def test_a_child_starts_only_once_its_path_exists_and_quiet_lines_are_dropped(
    tmp_path: Path,
) -> None:
    command = [sys.executable, "-c", STARTS_AFTER, str(tmp_path / "socket")]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False)
    out = done.stdout.decode()
    assert "first up" in out and "second saw True" in out
    assert "Model server started." not in out
    assert done.returncode == 1  # the second exited on its own: serve stops with it
