"""Sends N invocations to each of two URLs from one client, alternating blocks of 50 (A, B, A, B, …), so
that whatever else the machine does for a while slows both alike, while no call shares its moment with
the other side's (a server finishing its last call's work would slow the other's call); prints, per URL, p50 and p99 (ms), requests per second
of its own request time, and how many failed (refused, reset or not 200): "a50 a99 arps aerr b50 b99 brps berr".

Usage: pair.py URL_A TOKEN_A URL_B N [TOKEN_B]   (TOKEN_A, TOKEN_B: a bearer token, or - for none). Loopback only.
"""
import http.client
import json
import sys
import time
import urllib.parse

url_a, token_a, url_b, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
token_b = sys.argv[5] if len(sys.argv) > 5 else "-"
body = json.dumps({"width": 64})


class Target:
    def __init__(self, url, token):
        self.url = urllib.parse.urlsplit(url)
        assert self.url.hostname in ("127.0.0.1", "localhost"), "loopback only"
        self.headers = {"Content-Type": "application/json"}
        if token != "-":
            self.headers["Authorization"] = "Bearer " + token
        self.connection = self.connect()
        self.latencies, self.errors = [], 0

    def connect(self):
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)

    def send(self):
        started = time.perf_counter()
        try:
            self.connection.request("POST", self.url.path, body, self.headers)
            response = self.connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            self.connection.close()
            self.connection = self.connect()
        if ok:
            self.latencies.append((time.perf_counter() - started) * 1000)
        else:
            self.errors += 1

    def summary(self):
        if not self.latencies:
            return f"nan nan 0.0 {self.errors}"
        ordered = sorted(self.latencies)
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return f"{p50:.2f} {p99:.2f} {1000 * len(ordered) / sum(ordered):.1f} {self.errors}"


BLOCK = 50
a, b = Target(url_a, token_a), Target(url_b, token_b)
for start in range(0, total, BLOCK):
    for target in (a, b):
        for _ in range(min(BLOCK, total - start)):
            target.send()
print(a.summary(), b.summary())
