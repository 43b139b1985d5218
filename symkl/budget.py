"""A time budget for sympy steps that may run too long.

sympy is pure Python, so in the main thread an interval timer can raise
inside it; elsewhere the step runs in a forked process that is ended when
its time is up.
"""
import math
import multiprocessing
import signal
import threading


class OutOfTime(Exception):
    """A budgeted step did not finish in its time."""


def _raise_out_of_time(signum, frame):
    raise OutOfTime


def within(seconds: float, function, *args):
    """``function(*args)``, or OutOfTime once ``seconds`` have passed.

    >>> within(5, sum, [1, 2, 3])
    6
    """
    if seconds == math.inf:
        return function(*args)
    if seconds <= 0:
        raise OutOfTime
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, _raise_out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return _in_child(seconds, function, args)


def _attempt(function, args):
    try:
        return True, function(*args)
    except Exception as error:  # handed back to the parent, raised there
        return False, error


def _in_child(seconds, function, args):
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=lambda: sender.send(_attempt(function, args)), daemon=True)
    child.start()
    ready = receiver.poll(seconds)
    finished, value = receiver.recv() if ready else (False, OutOfTime())
    child.join(0.1)
    if child.is_alive():
        child.kill()
    if not finished:
        raise value
    return value
