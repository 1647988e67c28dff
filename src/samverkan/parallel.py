"""Run one long, independent computation on the second core while the caller goes on.

A laptop has at least two cores and the analysis of a large graph has two halves that do not
depend on each other: the path-based measures (igraph's searches, which hold Python's lock and
so cannot share a process) and the counting measures (numpy). :func:`in_background` starts the
first in a worker process; :meth:`Background.result` collects it. The result is the same value
the function returns when called directly, so parallel and serial runs give identical tables.

Nothing here may change a result or stop an analysis: when a worker cannot be started
(``SAMVERKAN_WORKERS=1``, a locked-down machine that forbids child processes) or dies, the
function runs in this process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

__all__ = ["in_background", "Background", "workers_allowed"]


def workers_allowed() -> bool:
    """False when ``SAMVERKAN_WORKERS`` is 1 or 0 (everything in one process) or only one core exists."""
    setting = os.environ.get("SAMVERKAN_WORKERS", "").strip()
    if setting.isdigit():
        return int(setting) > 1
    return (os.cpu_count() or 1) > 1


def _context():
    # fork starts in milliseconds and shares the parent's memory copy-on-write; elsewhere
    # (Windows, macOS) spawn is the safe default and the arguments travel by pickle
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).

    Without it a worker forked by a run that was killed goes on writing files for seconds.
    Elsewhere nothing is done (the worker ends when its pipe breaks).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _run(connection, function, args, kwargs, parent: int | None = None) -> None:
    """Worker side: send back (True, value) or (False, the exception)."""
    if parent is not None:
        import signal

        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (cli) is not the worker's
        _die_with_parent(parent)
    try:
        outcome = (True, function(*args, **kwargs))
    except BaseException as error:  # noqa: BLE001 - handed to the caller, who re-raises it
        outcome = (False, error)
    connection.send(outcome)
    connection.close()


_PENDING = object()  # no result collected yet


class Background:
    """A computation running in a worker process, or to be done here on :meth:`result`.

    ``start=False`` or ``SAMVERKAN_WORKERS=1`` keeps it here; ``fork_only=True`` keeps it here
    unless the worker can be forked (Linux), for arguments too large to send to a new process.
    """

    def __init__(self, function, args=(), kwargs=None, *, start: bool = True, fork_only: bool = False):
        self._function, self._args, self._kwargs = function, tuple(args), dict(kwargs or {})
        self._process = None
        self._connection = None
        self._value = _PENDING
        self.ran_in_worker = False
        if not start or not workers_allowed():
            return
        try:
            context = _context()
            if fork_only and context.get_start_method() != "fork":
                return  # large arguments: pickling them for a spawned worker costs more than it saves
            self._connection, child = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(child, function, self._args, self._kwargs, os.getpid()), daemon=True)
            self._process.start()
            child.close()
        except (OSError, RuntimeError, NotImplementedError, ValueError):  # no child processes here
            self.cancel()

    def result(self):
        """The function's return value; computed here if the worker could not deliver it.

        Later calls return the same value without computing it again.
        """
        if self._value is _PENDING:
            self._value = self._collect()
        return self._value

    def _collect(self):
        if self._process is not None:
            try:
                ok, value = self._connection.recv()  # before join: a large result fills the pipe
            except (EOFError, OSError):  # the worker died (memory, a signal): do it here
                ok, value = None, None
            finally:
                self.cancel()
            if ok is True:
                self.ran_in_worker = True
                return value
            if ok is False:
                raise value
        return self._function(*self._args, **self._kwargs)

    def cancel(self) -> None:
        """Stop the worker (if any) and release it; safe to call more than once."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process = None
        self._connection = None


def in_background(function, *args, **kwargs) -> Background:
    """Start ``function(*args, **kwargs)`` in a worker process; ``.result()`` collects it.

    ``function`` must be importable at module level and its arguments and result picklable.
    Exceptions raised by ``function`` propagate from ``.result()`` as if it had run here.
    """
    return Background(function, args, kwargs)
