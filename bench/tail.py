"""Tail latency: reads an app's log stream (Server-Sent Events, as `laambda logs --tail` does) while it invokes a
function N times, one every INTERVAL ms; the function prints `tailmark <time.time()>`, and for each such line the
stream brings, the latency is the reader's clock when it arrives minus the time printed (one machine, one clock).
Prints "p50 p99 seen N" (ms).

Usage: tail.py SERVER_URL TOKEN APP ENTRY N [INTERVAL_MS]. Loopback only.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token, app, entry, total = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
interval = (int(sys.argv[6]) if len(sys.argv) > 6 else 200) / 1000
server = urllib.parse.urlsplit(base)
assert server.hostname in ("127.0.0.1", "localhost"), "loopback only"
auth = {"Authorization": "Bearer " + token}
latencies, ready = [], threading.Event()


def read_stream():
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=120)
    connection.request("GET", f"/api/v1/apps/{app}/logs/stream?n=1&source=app&entry={entry}",
                       headers={**auth, "Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    ready.set()
    while len(latencies) < total:
        line = response.fp.readline()
        if not line:
            return
        if line.startswith(b"data: "):
            text = json.loads(line[6:])["line"]
            arrived = time.time()
            if text.startswith("tailmark "):
                latencies.append((arrived - float(text.split()[1])) * 1000)


reader = threading.Thread(target=read_stream, daemon=True)
reader.start()
ready.wait(30)
time.sleep(0.5)  # the backlog line (n=1) has gone by
latencies.clear()
invoke = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
for _ in range(total):
    invoke.request("POST", f"/api/v1/apps/{app}/functions/{entry}/invoke", "{}", {**auth, "Content-Type": "application/json"})
    invoke.getresponse().read()
    time.sleep(interval)
reader.join(10)
ordered = sorted(latencies)
if not ordered:
    print(f"nan nan seen 0 of {total}")
else:
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{p50:.1f} {p99:.1f} seen {len(ordered)} of {total}")
