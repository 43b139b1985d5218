"""The time budget ends slow sympy steps, in the main thread and elsewhere."""
import threading
import time

import pytest

from symkl.engine.budget import OutOfTime, clock, within


def slow():
    """Waits: ended by the wall-clock backstop."""
    time.sleep(30)


def busy():
    """Computes, as sympy does: ended by the CPU-time budget."""
    while True:
        sum(range(1000))


def in_another_thread(work):
    outcome = {}
    thread = threading.Thread(target=lambda: work(outcome))
    thread.start()
    thread.join(20)
    return outcome


@pytest.mark.parametrize("step", [slow, busy])
def test_in_the_main_thread(step):
    with pytest.raises(OutOfTime):
        within(0.2, step)
    assert within(5, sorted, [3, 1, 2]) == [1, 2, 3]


def test_the_budget_counts_cpu_time():
    start = clock()
    with pytest.raises(OutOfTime):
        within(0.3, busy)
    assert 0.25 < clock() - start < 2


@pytest.mark.parametrize("step", [slow, busy])
def test_in_another_thread(step):
    def work(outcome):
        try:
            within(0.3, step)
        except OutOfTime:
            outcome["ended"] = True
        outcome["value"] = within(5, sum, [1, 2])

    assert in_another_thread(work) == {"ended": True, "value": 3}


def test_errors_come_back_from_another_thread():
    def work(outcome):
        try:
            within(5, int, "x")
        except ValueError as error:
            outcome["error"] = str(error)

    assert "invalid literal" in in_another_thread(work)["error"]
