"""Start `otmetka worker` beside a server (the demo does): a child process stopped at exit."""

import atexit
import os
import subprocess
import sys


def worker_start_beside() -> subprocess.Popen:
    """Run the background worker in a child process, ended when this process exits (not when a
    forked server worker does)."""
    child = subprocess.Popen([sys.executable, "-m", "otmetka", "worker", "--interval", "2"])
    parent = os.getpid()

    def stop() -> None:
        if os.getpid() == parent and child.poll() is None:
            child.terminate()
            child.wait(timeout=10)

    atexit.register(stop)
    return child
