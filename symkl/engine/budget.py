"""A time budget for sympy steps that may run too long.

Budgets count CPU seconds of this process (:func:`clock`), so that what a
derivation finds within its budget does not depend on how busy the machine
is.  sympy is pure Python, so in the main thread an interval timer can raise
inside it (a CPU-time timer, with a wall-clock backstop at a few times the
budget for a step that waits instead of computing); elsewhere the step runs
in a forked process that is ended when its time is up.
"""
import math
import multiprocessing
import signal
import threading
import time

#: a step in the main thread is also ended after this many times its budget of wall-clock time
WALL_FACTOR = 4


def clock() -> float:
    """CPU seconds this process has used: the clock budgets are counted on."""
    return time.process_time()


class OutOfTime(Exception):
    """A budgeted step did not finish in its time."""


def _raise_out_of_time(signum, frame):
    raise OutOfTime


def within(seconds: float, function, *args):
    """``function(*args)``, or OutOfTime once it has used ``seconds`` of CPU.

    >>> within(5, sum, [1, 2, 3])
    6
    """
    if seconds == math.inf:
        return function(*args)
    if seconds <= 0:
        raise OutOfTime
    if threading.current_thread() is threading.main_thread():
        timers = ((signal.SIGPROF, signal.ITIMER_PROF, seconds),
                  (signal.SIGALRM, signal.ITIMER_REAL, seconds * WALL_FACTOR))
        previous = [signal.signal(number, _raise_out_of_time) for number, _, _ in timers]
        for _, timer, limit in timers:
            signal.setitimer(timer, limit)
        try:
            return function(*args)
        finally:
            for (number, timer, _), handler in zip(timers, previous):
                signal.setitimer(timer, 0)
                signal.signal(number, handler)
    return _in_child(seconds, function, args)


def _attempt(function, args):
    try:
        return True, function(*args)
    except Exception as error:  # handed back to the parent, raised there
        return False, error


def _in_child(seconds, function, args):
    """In a forked child, whose only thread is its main thread: the CPU-time timer works there."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=lambda: sender.send(_attempt(within, (seconds, function, *args))),
                            daemon=True)
    child.start()
    ready = receiver.poll(seconds * WALL_FACTOR)
    finished, value = receiver.recv() if ready else (False, OutOfTime())
    child.join(0.1)
    if child.is_alive():
        child.kill()
    if not finished:
        raise value
    return value
