"""The time budget ends slow sympy steps, in the main thread and elsewhere."""
import threading
import time

import pytest

from symkl.budget import OutOfTime, within


def slow():
    time.sleep(30)


def test_in_the_main_thread():
    with pytest.raises(OutOfTime):
        within(0.2, slow)
    assert within(5, sorted, [3, 1, 2]) == [1, 2, 3]


def test_in_another_thread():
    outcome = {}

    def work():
        try:
            within(0.5, slow)
        except OutOfTime:
            outcome["ended"] = True
        outcome["value"] = within(5, sum, [1, 2])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(20)
    assert outcome == {"ended": True, "value": 3}


def test_errors_come_back_from_another_thread():
    outcome = {}

    def work():
        try:
            within(5, int, "x")
        except ValueError as error:
            outcome["error"] = str(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(20)
    assert "invalid literal" in outcome["error"]


def busy():
    while True:
        sum(range(1000))


def test_the_budget_counts_cpu_time():
    from symkl.budget import clock
    start = clock()
    with pytest.raises(OutOfTime):
        within(0.3, busy)
    assert 0.25 < clock() - start < 2


def test_another_thread_counts_cpu_time_too():
    from symkl.budget import clock
    outcome = {}

    def work():
        try:
            within(0.3, busy)
        except OutOfTime:
            outcome["ended"] = True

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(20)
    assert outcome == {"ended": True}
    assert clock() >= 0
