"""Query workers: processes that answer store tasks, stopped when they run too long.

pyoxigraph cannot interrupt a query, and an aggregate may compute for minutes before
its first row. So every task runs in a worker process (:mod:`kg.server.tasks`); the
HTTP thread that sent it waits on the pipe until the deadline, and past it ends the
process and starts a fresh one in its place. The deadline covers the wait for a free
worker too: a request never takes much longer than the time-out.

Workers open the store read-only. An update (:meth:`WorkerPool.run_exclusive`) waits
until no query runs, ends the readers, applies the update in a process of its own that
opens the store writable (a read-only opener must not overlap a writer), and starts
the readers again, which then see the new data.

Processes come from a ``forkserver`` that has imported :mod:`kg.server.tasks` once,
so a replacement is ready in milliseconds and the HTTP process's threads are never
forked.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.server.protocol import ProtocolError
from kg.server.tasks import serve_worker


class QueryTimeout(ProtocolError):
    """A task that did not finish in time (503); its worker was ended."""


class Busy(ProtocolError):
    """No worker came free in time (503)."""


class WorkerDied(ProtocolError):
    """A worker process that ended while answering (500); it is replaced."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self, *, grace: float = 1.0) -> None:
        """Close the pipe (the worker leaves its loop), then end it if it lingers."""
        self.conn.close()
        self.process.join(grace)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


class WorkerPool:
    """``workers`` processes answering tasks on the store at ``store``, each task
    stopped after ``timeout`` seconds."""

    def __init__(self, store: Path, *, workers: int = 2, timeout: float = 30.0):
        if workers < 1:
            raise ValueError(f"workers: {workers}: need at least one")
        self.store = Path(store)
        self.size = workers
        self.timeout = timeout
        #: Bumped after each update: what a cache built before it holds is stale.
        self.generation = 0
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["__main__", "kg.server.tasks"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._gate = threading.Condition()
        self._writing = False
        self._closed = False
        for _ in range(workers):
            self._idle.put(self._spawn())

    # -- processes ------------------------------------------------------------------------
    def _spawn(self, *, writable: bool = False) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve_worker,
            args=(child, str(self.store), writable),
            name="coopgraph-writer" if writable else "coopgraph-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> _Worker:
        self._kill(worker)
        return self._spawn()

    # -- running tasks ------------------------------------------------------------------------
    def _remaining(self, deadline: float) -> float:
        return max(0.0, deadline - time.monotonic())

    def _acquire(self, deadline: float) -> _Worker:
        with self._gate:
            while self._writing:
                if not self._gate.wait(self._remaining(deadline)):
                    raise self._busy()
        try:
            return self._idle.get(timeout=self._remaining(deadline))
        except queue.Empty:
            raise self._busy() from None

    def _busy(self) -> Busy:
        return Busy(503, f"every query worker stayed busy for {self.timeout:g} s: try again later")

    def _call(self, worker: _Worker, task: str, args: tuple, deadline: float) -> Any:
        """Send a task and wait for the answer; raise :class:`QueryTimeout` (leaving
        the worker to be replaced) when it comes too late."""
        try:
            worker.conn.send((task, args))
            if not worker.conn.poll(self._remaining(deadline)):
                raise QueryTimeout(
                    503,
                    f"the query did not finish within {self.timeout:g} s (the server's "
                    "--timeout) and was stopped",
                )
            status, value = worker.conn.recv()
        except (EOFError, OSError) as err:
            raise WorkerDied(500, f"the query worker ended unexpectedly ({err!r})") from err
        if status == "err":
            raise value
        return value

    def run(self, task: str, *args: Any) -> Any:
        """Run ``task`` (a name of :data:`kg.server.tasks.TASKS`) on a free worker.

        Raises
        ------
        ProtocolError
            What the task raised; :class:`QueryTimeout` past the time-out,
            :class:`Busy` when no worker came free in time.
        """
        if self._closed:
            raise ProtocolError(503, "the server is shutting down")
        deadline = time.monotonic() + self.timeout
        worker = self._acquire(deadline)
        healthy = False
        try:
            value = self._call(worker, task, args, deadline)
            healthy = True
            return value
        except ProtocolError as err:
            healthy = not isinstance(err, QueryTimeout | WorkerDied)
            raise
        finally:
            self._idle.put(worker if healthy else self._replace(worker))

    def run_exclusive(self, task: str, *args: Any) -> Any:
        """Run ``task`` on a writable store while no other task runs (for updates);
        the readers are restarted afterwards and :attr:`generation` is bumped."""
        deadline = time.monotonic() + self.timeout
        with self._gate:
            while self._writing:
                if not self._gate.wait(self._remaining(deadline)):
                    raise self._busy()
            self._writing = True
        taken: list[_Worker] = []
        stopped = 0
        try:
            while len(taken) < self.size:
                try:
                    taken.append(self._idle.get(timeout=self._remaining(deadline)))
                except queue.Empty:
                    raise self._busy() from None
            for worker in taken:
                worker.stop()
            stopped, taken = len(taken), []
            writer = self._spawn(writable=True)
            finished = False
            try:
                value = self._call(writer, task, args, deadline)
                finished = True
                return value
            except ProtocolError as err:
                finished = not isinstance(err, QueryTimeout | WorkerDied)
                raise
            finally:
                # a finished writer closes the store itself; one cut short is ended,
                # and its transaction is never committed
                if finished:
                    writer.stop(grace=10.0)
                else:
                    self._kill(writer)
                self.generation += 1
        finally:
            for worker in taken:
                self._idle.put(worker)
            for _ in range(stopped):
                self._idle.put(self._spawn())
            with self._gate:
                self._writing = False
                self._gate.notify_all()

    def close(self) -> None:
        """End every worker (those busy end when their task returns)."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop(grace=0.5)
            except queue.Empty:
                return
