"""A time budget for sympy steps that may run too long.

Budgets count the CPU seconds of the thread that runs the step
(:func:`clock`), so what a derivation finds within its budget does not
depend on how busy the machine is: a step waiting for a core uses none.

A watchdog thread reads the CPU clock of each thread running a budgeted step
and, once the step has used its seconds, raises :class:`OutOfTime` inside it
(``PyThreadState_SetAsyncExc``, delivered between two bytecodes, as sympy is
pure Python).  No signal or interval timer is touched, so the caller's own
(a profiler, a test-timeout guard) keep working; budgets nest, in any thread,
and nothing is forked.
"""
from __future__ import annotations

import ctypes
import math
import os
import threading
import time

#: how often the watchdog looks at the running steps (seconds)
_TICK = 0.005
#: a late step that has not ended is sent OutOfTime again after this many seconds
_AGAIN = 0.05


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


class OutOfTime(Exception):
    """A budgeted step did not finish in its time."""


class _Step:
    """One budgeted step: its thread, the CPU time at which it ends, whether it is running."""

    def __init__(self, seconds: float):
        self.ident = threading.get_ident()
        self.cpu = _thread_clock(self.ident)
        self.deadline = self.cpu() + seconds
        self.running = True
        self.next_raise = 0.0


class _Watchdog:
    """The thread that ends steps past their deadline."""

    def __init__(self):
        self.lock = threading.Lock()
        self.steps: list[_Step] = []
        self.thread = None

    def start(self, step: _Step):
        with self.lock:
            self.steps.append(step)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._watch, name="symkl-budget", daemon=True)
                self.thread.start()

    def stop(self, step: _Step):
        """Called by the step's own thread: after this no OutOfTime reaches it for ``step``.

        One raised for it but not yet delivered is withdrawn; if an enclosing step of
        the same thread is late too, the watchdog raises again for that one.
        """
        with self.lock:
            step.running = False
            if step in self.steps:
                self.steps.remove(step)
            _set_async_exception(step.ident, None)

    def enclosing_late(self, step: _Step) -> bool:
        """Whether a step of the same thread, begun before ``step``, is past its deadline."""
        with self.lock:
            return any(s.ident == step.ident and s.cpu() >= s.deadline for s in self.steps)

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
                    if s.running and s.cpu() >= s.deadline and now >= s.next_raise:
                        _set_async_exception(s.ident, OutOfTime)
                        s.next_raise = now + _AGAIN


def _set_async_exception(ident: int, exception):
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.forget)


class _Unwinding(BaseException):
    """An enclosing step's time is up: passes every handler between it and that step.

    A BaseException, so that code inside the late step that catches
    OutOfTime from a step of its own (or any Exception) cannot swallow it.
    """


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
    _WATCHDOG.start(step)
    try:
        value = function(*args)
    except (OutOfTime, _Unwinding):
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
        except OutOfTime:  # delivered while stopping: the step is over either way
            continue
