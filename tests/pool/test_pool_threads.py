"""QueuePool under concurrent load from many threads, on a real sqlite3 file database."""

from __future__ import annotations

import random
import threading

from sqlwright.pool import QueuePool

THREADS = 20
CYCLES = 200


def test_queue_pool_never_exceeds_its_limits_and_leaks_nothing(tracker) -> None:
    pool = QueuePool(tracker.creator, pool_size=3, max_overflow=2, timeout=60)
    errors: list[BaseException] = []
    done = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for i in range(CYCLES):
                conn = pool.connect()
                try:
                    cursor = conn.cursor()
                    cursor.execute("SELECT ?", (i,))
                    assert cursor.fetchone() == (i,)
                    cursor.close()
                    if rng.random() < 0.3:
                        threading.Event().wait(rng.random() / 2000)
                finally:
                    conn.close()
            done.append(seed)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(done) == THREADS
    assert tracker.max_open <= 5
    assert tracker.max_open >= 1
    assert pool.checkedout() == 0
    assert tracker.opened - tracker.closed == pool.checkedin()
    assert pool.checkedin() <= 3
