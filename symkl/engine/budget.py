"""A time budget for sympy steps that may run too long.

Budgets count the CPU seconds of the thread that runs the step
(:func:`clock`), so what a derivation finds within its budget does not
depend on how busy the machine is: a step waiting for a core uses none.

A watchdog thread reads the CPU clock of each thread running a budgeted step
and, once the step has used its seconds, raises an exception inside it
(``PyThreadState_SetAsyncExc``, delivered between two bytecodes, as sympy is
pure Python); :func:`within` turns it into :class:`OutOfTime` for its caller.
No signal or interval timer is touched, so the caller's own (a profiler, a
test-timeout guard) keep working; budgets nest, in any thread, and nothing is
forked.

A derivation's own caps on its sympy steps (an integral's seconds, a limit's) are
shares of its budget (:func:`share`): given k times the default budget, each step may take
k times its cap (:func:`proportioned`), so a longer budget finds what a slower
machine would miss, not only more time for the same steps.

What is raised inside the step is a ``BaseException``, so that sympy's own
``except Exception`` cannot swallow it; it is raised once, and again only
after a second for a step that swallowed it all the same.  A step's end
withdraws one raised for it and not yet delivered, and ends the steps begun
inside it, should one of them have been left registered.
"""
from __future__ import annotations

import contextlib
import contextvars
import ctypes
import math
import os
import threading
import time

#: how often the watchdog looks at the running steps (seconds)
_TICK = 0.005
#: a late step that has not ended is sent its exception again after this many seconds
_AGAIN = 1.0


def _thread_clock(ident: int):
    """A function giving the CPU seconds of thread ``ident`` (of the process where the
    platform cannot read one thread's clock)."""
    try:
        clock_id = time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):
        return time.process_time
    return lambda: time.clock_gettime(clock_id)


def clock() -> float:
    """CPU seconds the calling thread has used: the clock budgets are counted on."""
    return time.thread_time()


#: what sympy raises when it fails inside a step (a NaN comparison in heurisch, an
#: attribute missing in gruntz): the step has no answer, and the derivation goes on
SYMPY_FAILURES = (TypeError, ValueError, NotImplementedError, AttributeError, ZeroDivisionError,
                  IndexError, KeyError, RecursionError)


#: the derivation's budget over the default one: the factor on each step's cap
_SHARE = contextvars.ContextVar("symkl_budget_share", default=1.0)


def share(seconds: float) -> float:
    """A step's cap of ``seconds`` (for the default budget) in the running derivation.

    >>> share(2.0)
    2.0
    >>> with proportioned(60, 20):
    ...     share(2.0)
    6.0
    """
    return seconds * _SHARE.get()


@contextlib.contextmanager
def proportioned(budget: float, default: float):
    """Steps' caps in proportion ``budget / default`` inside the block."""
    token = _SHARE.set(budget / default)
    try:
        yield
    finally:
        _SHARE.reset(token)


class OutOfTime(Exception):
    """A budgeted step did not finish in its time."""


class _Expired(BaseException):
    """Raised inside a step by the watchdog: its time is up."""


class _Unwinding(BaseException):
    """An enclosing step's time is up: passes every handler between it and that step."""


class _Withdrawn(BaseException):
    """Put in place of an exception raised but not yet delivered, and caught at once."""


class _Step:
    """One budgeted step: its thread, its depth among that thread's steps, the CPU time
    at which it ends, and when the watchdog last raised in it."""

    def __init__(self, seconds: float):
        self.ident = threading.get_ident()
        self.cpu = _thread_clock(self.ident)
        self.deadline = self.cpu() + seconds
        self.depth = 0
        self.raised_at = None

    def late(self) -> bool:
        return self.cpu() >= self.deadline


class _Watchdog:
    """The thread that ends steps past their deadline."""

    def __init__(self):
        self.lock = threading.Lock()
        self.steps: list[_Step] = []
        self.thread = None

    def start(self, step: _Step):
        with self.lock:
            step.depth = sum(s.ident == step.ident for s in self.steps)
            self.steps.append(step)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._watch, name="symkl-budget", daemon=True)
                self.thread.start()

    def stop(self, step: _Step):
        """Called by the step's own thread: ``step`` and any step begun inside it end, and
        an exception raised for them but not yet delivered is withdrawn."""
        with self.lock:
            ending = [s for s in self.steps if s.ident == step.ident and s.depth >= step.depth]
            for s in ending:
                self.steps.remove(s)
            if any(s.raised_at is not None for s in ending + [step]):
                _withdraw()

    def enclosing_late(self, step: _Step) -> bool:
        """Whether a step of the same thread, begun before ``step``, is past its deadline."""
        with self.lock:
            return any(s.ident == step.ident and s.depth < step.depth and s.late() for s in self.steps)

    def forget(self):
        """In a forked child: no steps, no watchdog thread, a lock nobody holds."""
        self.__init__()

    def _watch(self):
        while True:
            time.sleep(_TICK)
            with self.lock:
                if not self.steps:
                    self.thread = None
                    return
                now = time.monotonic()
                for s in self.steps:
                    if (s.raised_at is None or now - s.raised_at >= _AGAIN) and s.late():
                        _set_async_exception(s.ident, _Expired)
                        s.raised_at = now
                        break  # one exception at a time for the thread; the rest next tick


def _withdraw():
    """Withdraw an exception raised for the calling thread but not yet delivered.

    Clearing it (``PyThreadState_SetAsyncExc(id, NULL)``) would leave CPython's
    eval breaker set, which makes the interpreter hang at exit under a profiler;
    so it is replaced by `_Withdrawn`, delivered at the next backward jump of the
    loop here, and caught.
    """
    try:
        _set_async_exception(threading.get_ident(), _Withdrawn)
        for _ in range(10_000):
            pass
    except _Withdrawn:
        pass


def _set_async_exception(ident: int, exception):
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception))


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.forget)


def within(seconds: float, function, *args):
    """``function(*args)``, or OutOfTime once it has used ``seconds`` of CPU.

    Budgets nest: when an enclosing step's time is up, the steps inside it end
    too, and OutOfTime is raised where that enclosing step was begun.

    >>> within(5, sum, [1, 2, 3])
    6
    """
    if seconds == math.inf:
        return function(*args)
    if not seconds > 0:
        raise OutOfTime
    step = _Step(seconds)
    try:
        _WATCHDOG.start(step)
        value = function(*args)
    except (_Expired, _Unwinding):
        _stop(step)
        if _WATCHDOG.enclosing_late(step):
            raise _Unwinding from None
        raise OutOfTime from None
    except BaseException:
        _stop(step)
        raise
    _stop(step)
    return value


def _stop(step):
    while True:
        try:
            _WATCHDOG.stop(step)
            return
        except (_Expired, _Withdrawn):  # delivered while stopping: the step is over either way
            continue
