"""The whole matrix, cold, in one process; and plain sympy.integrate on the same pairs.

    python benchmarks/catalog.py [--plain] [--workers 2] [--timeout 20]

First every ordered pair is derived by symkl in this one process (nothing
cached), timing each; the slowest ten are listed.  With ``--plain``, each pair
whose KL is not infinite by support is also given to plain
``sympy.integrate(p·log(p/q), (x, support))``, each in its own process with a
time limit, and the two are compared: how many closed forms each finds within
the limit, and the median time ratio where both do.
"""
import argparse
import multiprocessing
import statistics
import time

import sympy as sp


def plain_sympy(pair):
    """Seconds and whether plain sympy.integrate found a closed form (run in a child)."""
    import symkl as sk
    p, q = (getattr(sk, name)() for name in pair)
    p, q = p.renamed("1"), q.renamed("2")
    x = p.variable()
    density = sp.exp(p.log_density(x))
    start = time.perf_counter()
    value = sp.integrate(density * (p.log_density(x) - q.log_density(x)),
                         (x, p.support.inf, p.support.sup))
    closed = not value.has(sp.Integral, sp.Sum, sp.nan) and value.is_finite is not False
    return time.perf_counter() - start, closed


def _child(pair, queue):
    start = time.perf_counter()
    try:
        queue.put(plain_sympy(pair))
    except Exception:  # an error inside sympy: no closed form either
        queue.put((time.perf_counter() - start, False))


def timed_plain(pair, timeout):
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_child, args=(pair, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        return timeout, False
    return queue.get() if not queue.empty() else (timeout, False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plain", action="store_true", help="also time plain sympy.integrate")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0)
    arguments = parser.parse_args()

    from symkl import catalog
    start = time.perf_counter()
    cells = catalog.derive_all()
    total = time.perf_counter() - start
    print(catalog.summary(cells))
    print(f"whole matrix derived cold in one process: {total:.1f} s")
    same = [c.seconds for c in cells if c.p is c.q]
    print(f"same-family pairs: median {statistics.median(same):.3f} s, max {max(same):.2f} s")
    if not arguments.plain:
        return

    finite = [c for c in cells if c.outcome != catalog.INFINITE]
    pairs = [(c.p.__name__, c.q.__name__) for c in finite]
    with multiprocessing.pool.ThreadPool(arguments.workers) as pool:
        plain = pool.starmap(timed_plain, [(pair, arguments.timeout) for pair in pairs])
    ours_closed = sum(c.outcome == catalog.CLOSED and c.seconds <= arguments.timeout for c in finite)
    plain_closed = sum(ok for _, ok in plain)
    ratios = [t / c.seconds for c, (t, ok) in zip(finite, plain)
              if ok and c.outcome == catalog.CLOSED]
    print(f"\n{len(finite)} pairs not infinite by support; closed forms within {arguments.timeout:.0f} s:")
    print(f"  symkl: {ours_closed}    plain sympy.integrate: {plain_closed}")
    if ratios:
        print(f"  where both: median time ratio plain/symkl = {statistics.median(ratios):.1f}"
              f" over {len(ratios)} pairs")
    only_plain = [f"{a} ‖ {b}" for (a, b), c, (_, ok) in zip(pairs, finite, plain)
                  if ok and c.outcome != catalog.CLOSED]
    if only_plain:
        print("  closed by plain sympy only:", ", ".join(only_plain))


if __name__ == "__main__":
    import multiprocessing.pool
    main()
