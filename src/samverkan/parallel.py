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

__all__ = ["in_background", "Background", "Standby", "Later", "workers_allowed", "can_fork"]


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


def can_fork() -> bool:
    """True where a worker can be forked (Linux) and workers are allowed (:func:`workers_allowed`)."""
    return workers_allowed() and sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


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


def _become_worker(parent: int) -> None:
    """A forked worker's own signal handling, and its end with the parent's."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (cli) is not the worker's
    _die_with_parent(parent)


def _outcome(function, args, kwargs) -> tuple:
    """(True, the value) or (False, the exception) of ``function(*args, **kwargs)``, for the caller to re-raise."""
    try:
        return True, function(*args, **kwargs)
    except BaseException as error:  # noqa: BLE001 - handed to the caller, who re-raises it
        return False, error


def _run(connection, function, args, kwargs, parent: int | None = None) -> None:
    """Worker side: send back (True, value) or (False, the exception)."""
    if parent is not None:
        _become_worker(parent)
    connection.send(_outcome(function, args, kwargs))
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


def _stand_by(connection, function, args, prepare, parent: int) -> None:
    """Worker side of :class:`Standby`: prepare, wait for the arguments, send back (True, value) or (False, the exception)."""
    import pickle

    _become_worker(parent)
    if prepare is not None:
        try:
            prepare()
        except Exception:  # noqa: BLE001 - preparing only saves time; the job imports what it needs itself
            pass
    try:
        more, kwargs = pickle.loads(connection.recv_bytes())
    except (EOFError, OSError):  # the caller went on without this worker
        connection.close()
        return
    _run(connection, function, tuple(args) + tuple(more), kwargs)


class Standby(Background):
    """A worker forked now, before its arguments exist: it prepares (imports) while the caller works.

    A small analysis leaves the second core idle while the one process analyses; the libraries
    that only the writers need (matplotlib, openpyxl, the page templates) can be imported there
    in the meantime. ``prepare()`` runs in the worker at once; :meth:`send` hands over the
    remaining arguments (pickled: for small results only) and the worker then runs
    ``function(*args, *sent_args, **sent_kwargs)``; :meth:`result` collects the value. ``args``
    are inherited by the fork, never pickled (e.g. shared-memory flags).

    As with :class:`Background`, the function runs here instead when no worker can be forked
    (not Linux, ``SAMVERKAN_WORKERS=1``), when the arguments cannot be pickled, or when the
    worker dies; the value is the same either way.
    """

    def __init__(self, function, args=(), *, prepare=None, start: bool = True):
        super().__init__(function, args, start=False)
        self._sent = None
        self._sending = None
        if not start or not can_fork():
            return
        try:
            context = multiprocessing.get_context("fork")
            self._connection, child = context.Pipe(duplex=True)
            self._process = context.Process(target=_stand_by, args=(child, function, self._args, prepare, os.getpid()), daemon=True)
            self._process.start()
            child.close()
        except (OSError, RuntimeError, NotImplementedError, ValueError):  # no child processes here
            self.cancel()

    def send(self, *args, **kwargs) -> None:
        """Hand the remaining arguments to the worker (which then runs the function); returns at once.

        The arguments are pickled here and written by a thread, so the caller never waits for a
        worker that is still preparing.
        """
        if self._sent is not None:
            raise RuntimeError("Standby.send: the arguments were sent already")
        self._sent = (args, kwargs)
        if self._process is None:
            return
        self._sending = _send_in_thread(self._connection, (args, kwargs))
        if self._sending is None:  # not picklable: run here instead
            self.cancel()

    def _collect(self):
        if self._sent is None:
            raise RuntimeError("Standby.result: send() the arguments first")
        if self._sending is not None:
            self._sending.join()
        args, kwargs = self._sent
        self._args, self._kwargs = self._args + tuple(args), dict(kwargs)  # for running here
        return super()._collect()

    def cancel(self) -> None:
        """Stop the worker (if any) and release it; safe to call more than once."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        if self._sending is not None:  # its write fails once the worker is gone
            self._sending.join()
            self._sending = None
        super().cancel()


class Child:
    """``function(*args)`` in a child forked from this process with :func:`os.fork`, for a worker.

    A worker started by :mod:`multiprocessing` may not start processes of its own (it is a
    daemon), yet it may split its job: the child shares everything the worker has imported and
    computed, copy-on-write. :meth:`result` returns the value, re-raises the child's exception,
    or runs ``function`` here when no child could be forked or the child died. Linux only (where
    :func:`can_fork`); elsewhere the function runs here on :meth:`result`.
    """

    def __init__(self, function, *args):
        self._function, self._args = function, args
        self._pid = None
        self._read = None
        if not can_fork():
            return
        try:
            read, write = os.pipe()
        except OSError:
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(read)
                _die_with_parent(parent)
                import pickle

                outcome = _outcome(function, args, {})
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        """The function's value: from the child, or computed here when the child did not deliver it."""
        if self._pid is not None:
            import pickle

            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self._pid, 0)
            self._pid = self._read = None
            try:
                ok, value = pickle.loads(data)
            except Exception:  # noqa: BLE001 - the child died before it finished: do it here
                ok = None
            if ok is True:
                return value
            if ok is False:
                raise value
        return self._function(*self._args)


def _send_in_thread(connection, value, *, pickled: bool = False):
    """Pickle ``value`` here and write it to ``connection`` from a daemon thread (the caller never
    waits for a busy reader); the thread, or None when ``value`` cannot be pickled.
    ``pickled``: ``value`` is already the bytes to write. A reader that has gone is not an error:
    whoever collects the worker's result finds out."""
    import pickle
    import threading

    if pickled:
        data = value
    else:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return None

    def write():
        try:
            connection.send_bytes(data)
        except (OSError, ValueError):  # the worker died or was cancelled
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


class Later:
    """A value a forked worker needs only partway through, handed over once the caller has it.

    Made before the worker is forked and passed to it as an argument; the caller then hands the
    value to :meth:`set` (pickled and written by a thread, so the caller never waits) and the
    worker's :meth:`get` waits for it. Where the function runs in the caller's process
    instead (no worker, or the worker died), :meth:`get` returns the value :meth:`set` was given,
    so the caller must set it before it collects the result. Lets a worker begin the part of
    its job that does not need the value (the tables) while the caller computes it (the views'
    selection).
    """

    def __init__(self):
        self._value = _PENDING
        self._home = os.getpid()
        self._receive = self._send = self._thread = None
        if can_fork():
            try:
                self._receive, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)
            except OSError:  # no pipes: the function runs here and reads the value set
                self._receive = self._send = None

    def set(self, value) -> None:
        """Hand ``value`` over (the caller's side); returns at once.

        A value that cannot be pickled is sent as an empty message: the worker's :meth:`get`
        then raises, and the error reaches the caller from the worker's result.
        """
        self._value = value
        if self._send is None:
            return
        if self._receive is not None:  # the worker holds its own copy: a worker that ends unread then breaks the pipe
            self._receive.close()
            self._receive = None
        self._thread = _send_in_thread(self._send, value) or _send_in_thread(self._send, b"", pickled=True)

    def get(self):
        """The value: the one :meth:`set` was given here, or, in the worker, the one it sends."""
        if self._value is not _PENDING:
            return self._value
        if os.getpid() == self._home or self._receive is None:
            raise RuntimeError("Later.get: set() the value first")
        import pickle

        data = self._receive.recv_bytes()
        if not data:
            raise RuntimeError("Later.get: the value could not be sent to the worker")
        self._value = pickle.loads(data)
        return self._value

    def close(self) -> None:
        """Release the pipe (after the worker has ended); safe to call more than once."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for end in (self._receive, self._send):
            if end is not None:
                end.close()
        self._receive = self._send = None
