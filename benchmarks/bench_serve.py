"""Load on `jixiao serve`: the seed project scored N times by C concurrent clients, on 127.0.0.1 only.

    jixiao serve rulesets --no-browser --port 8765 &
    python benchmarks/bench_serve.py http://127.0.0.1:8765 [N] [C]

Every answer must be 200 and byte-identical; prints requests per second (docs/http.md records it).
The loop is bounded in count (N, default 2,000) and time (60 s), and refuses any address that is not
the loopback. tests/web/test_load.py runs the same function with a small N and asserts no speed.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx

SEED = {
    "ruleset": {"name": "shangjie-pension/2020.jx"},
    "actuals": {"name": "shangjie-pension/2020.actuals.csv"},
}
TIME_LIMIT = 60.0


@dataclass
class Load:
    requests: int
    seconds: float
    statuses: Counter[int]
    bodies: Counter[bytes]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(url: str, requests: int, clients: int) -> Load:
    """POST /v1/score `requests` times from `clients` threads (each with its own connection)."""
    if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("bench_serve sends traffic only to the loopback address")
    statuses: Counter[int] = Counter()
    bodies: Counter[bytes] = Counter()
    lock = threading.Lock()
    counter = iter(range(requests))
    stop = time.monotonic() + TIME_LIMIT

    def client() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop:
                with lock:
                    if next(counter, None) is None:
                        return
                try:
                    response = http.post("/v1/score", json=SEED)
                except httpx.TransportError:  # counted as status 0: the run fails, no traceback
                    response = httpx.Response(0)
                with lock:
                    statuses[response.status_code] += 1
                    bodies[response.content] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(sum(statuses.values()), time.perf_counter() - started, statuses, bodies)


def main(argv: list[str]) -> int:
    url = argv[0] if argv else "http://127.0.0.1:8765"
    requests = int(argv[1]) if len(argv) > 1 else 2000
    clients = int(argv[2]) if len(argv) > 2 else 16
    result = load(url, requests, clients)
    print(f"{result.requests} requests, {clients} clients: {result.per_second:.0f} requests/s")
    print(f"statuses {dict(result.statuses)}, distinct bodies {len(result.bodies)}")
    return 0 if set(result.statuses) == {200} and len(result.bodies) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
