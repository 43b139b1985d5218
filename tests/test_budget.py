"""The time budget ends slow sympy steps: by CPU time of the step's thread, in any thread,
nested, and without touching the caller's signals and timers."""
import multiprocessing.pool
import signal
import threading
import time

import pytest

from symkl.engine.budget import OutOfTime, clock, within


def busy():
    """Computes, as sympy does."""
    while True:
        sum(range(1000))


def wait(seconds):
    time.sleep(seconds)
    return "waited"


def in_another_thread(work):
    outcome = {}
    thread = threading.Thread(target=lambda: work(outcome))
    thread.start()
    thread.join(20)
    return outcome


def test_a_computing_step_is_ended():
    with pytest.raises(OutOfTime):
        within(0.2, busy)
    assert within(5, sorted, [3, 1, 2]) == [1, 2, 3]


def test_the_budget_counts_cpu_time_of_the_step():
    start = clock()
    with pytest.raises(OutOfTime):
        within(0.3, busy)
    assert 0.25 < clock() - start < 2
    # waiting uses no CPU: a step that sleeps longer than its budget finishes
    assert within(0.05, wait, 0.3) == "waited"


def test_in_another_thread():
    def work(outcome):
        try:
            within(0.3, busy)
        except OutOfTime:
            outcome["ended"] = True
        outcome["value"] = within(5, sum, [1, 2])

    assert in_another_thread(work) == {"ended": True, "value": 3}


def test_errors_come_back():
    with pytest.raises(ValueError, match="invalid literal"):
        within(5, int, "x")


def test_budgets_nest():
    def inner_runs_out():
        try:
            within(0.1, busy)
        except OutOfTime:
            return "inner ended"

    assert within(5, inner_runs_out) == "inner ended"
    # the outer budget ends an inner step that has more time than the outer has left
    start = clock()
    with pytest.raises(OutOfTime):
        within(0.2, within, 30, busy)
    assert clock() - start < 2
    # an outer step that swallows the inner OutOfTime is still ended on its own time
    def swallows():
        while True:
            try:
                within(0.05, busy)
            except OutOfTime:
                pass

    with pytest.raises(OutOfTime):
        within(0.3, swallows)


def test_no_late_exception_after_the_step():
    # a step that finishes just at its deadline never leaves an OutOfTime behind
    for _ in range(20):
        try:
            within(0.01, lambda: sum(range(200_000)))
        except OutOfTime:
            pass
    total = 0
    for i in range(2_000_000):
        total += i
    assert total == sum(range(2_000_000))


def test_the_callers_timers_and_signals_are_left_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 60)
        with pytest.raises(OutOfTime):
            within(0.1, busy)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 60  # the caller's timer still runs
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # and its handler still fires
        for _ in range(100):
            if fired:
                break
            time.sleep(0.05)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _derive_in_pool(_):
    import symkl as sk
    return str(sk.kl(sk.Exponential(), sk.Exponential()).expr)


def test_inside_a_pool_worker_thread():
    with multiprocessing.pool.ThreadPool(2) as pool:
        assert pool.map(_derive_in_pool, range(2)) == ["log(rate_1/rate_2) - 1 + rate_2/rate_1"] * 2


def _derive_in_a_thread_of_the_worker(_):
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(expr=_derive_in_pool(None)))
    thread.start()
    thread.join(60)
    return outcome["expr"]


def test_inside_a_thread_of_a_process_pool_worker():
    # a pool's workers are daemonic and may not have children: nothing is forked
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_derive_in_a_thread_of_the_worker, [0]) == ["log(rate_1/rate_2) - 1 + rate_2/rate_1"]


def test_under_a_profiler_steps_end_and_the_interpreter_exits():
    import subprocess
    import sys
    script = ("import sys\n"
              "from symkl.engine.budget import OutOfTime, within\n"
              "sys.setprofile(lambda *a: None)\n"
              "def busy():\n"
              "    while True:\n"
              "        sum(range(100))\n"
              "try:\n"
              "    within(0.2, busy)\n"
              "except OutOfTime:\n"
              "    print('ended')\n"
              "print(within(5, sum, [1, 2]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.split()) == (0, ["ended", "3"]), done.stderr


def test_nothing_is_left_behind_after_many_nested_steps_that_run_out():
    import random
    rng = random.Random(0)

    def nested():
        try:
            within(rng.uniform(0.001, 0.02), busy)
        except OutOfTime:
            pass
        busy()

    for _ in range(150):
        try:
            within(rng.uniform(0.001, 0.03), nested)
        except OutOfTime:
            pass
    # no step is left registered, and nothing is raised later in plain code
    from symkl.engine.budget import _WATCHDOG
    assert not [s for s in _WATCHDOG.steps if s.ident == threading.get_ident()]
    start = time.monotonic()
    while time.monotonic() - start < 1.5:  # longer than the watchdog waits before raising again
        sum(range(1000))


def test_a_derivations_steps_have_caps_in_proportion_to_its_budget():
    # each sympy step's cap is share(cap): the default budget gives the caps as written,
    # three times the budget three times each; outside a derivation, as written
    import sympy as sp

    import symkl as sk
    from symkl.engine.budget import share
    from symkl.families.base import POSITIVE, Distribution, Parameter

    seen = []

    class Recording(Distribution):
        parameters = (Parameter("r", POSITIVE, "r"),)

        @property
        def support(self):
            return sp.Interval.open(0, sp.oo)

        def log_density(self, x):
            (r,) = self.args
            return sp.log(r) - r * x

        def expectation(self, statistic, x):
            seen.append(share(1.0))
            return None

    sk.kl(Recording(2), sk.Exponential(3))
    sk.kl(Recording(5), sk.Exponential(7), budget=60)
    assert seen and seen[0] == 1.0 and seen[-1] == 3.0 and share(1.0) == 1.0
