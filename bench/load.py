"""Sends N invocations to a URL from C concurrent clients; prints p50, p99 (ms), throughput of successful
requests (req/s) and the number that failed (refused, reset or not 200).

Usage: load.py URL N CONCURRENCY [BEARER_TOKEN]. Loopback only; bounded by N.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, total, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
token = sys.argv[4] if len(sys.argv) > 4 else None
target = urllib.parse.urlsplit(url)
assert target.hostname in ("127.0.0.1", "localhost"), "loopback only"
latencies, errors, lock = [], [], threading.Lock()
per_client = total // concurrency
body = json.dumps({"width": 64})
headers = {"Content-Type": "application/json"}
if token:
    headers["Authorization"] = "Bearer " + token


def client():
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    for _ in range(per_client):
        started = time.perf_counter()
        try:
            connection.request("POST", target.path, body, headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            (latencies if ok else errors).append(elapsed)


started = time.perf_counter()
threads = [threading.Thread(target=client) for _ in range(concurrency)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
wall = time.perf_counter() - started
latencies.sort()
if not latencies:
    print(f"nan nan 0.0 {len(errors)}")
    sys.exit(0)
p50 = latencies[len(latencies) // 2]
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
print(f"{p50:.2f} {p99:.2f} {len(latencies) / wall:.1f} {len(errors)}")
