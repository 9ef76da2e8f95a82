#!/usr/bin/env bash
# What logging costs: warm invoke p50 of the same Python function (printing one line per call) on a server with
# the log store as shipped and on one with LAAMBDA_LOG_STORE=off, in one run, alternating blocks of calls so the
# machine's noise hits both alike; prints both and the ratio (target <= 1.05). Then tail latency: the time from
# the function printing a line to a client of …/logs/stream (as `laambda logs --tail`) getting it, p50 (target
# under 100 ms).
# Usage: bench/logs.sh [N]   (default 500 invocations per side, after LAAMBDA_BENCH_WARMUP=1000 each;
#                             LAAMBDA_BENCH_TAILS=100 tailed invocations, one every 100 ms)
set -euo pipefail
n="${1:-500}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/laambda-bench-logs.XXXXXX)"
cleanup() {
  for pid in ${on_pid:-} ${off_pid:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

app="$work/app"
mkdir -p "$app"
printf 'import time\n\ndef handler(event, context):\n    print("tailmark", repr(time.time()))\n    return {"created": event.get("width")}\n' > "$app/app.py"
printf 'web: app.handler\n' > "$app/Procfile"
(cd "$app" && git init -q -b main && git add -A && git commit -qm bench)

# deploy: creates the app on the current server (http_port, ssh_port, token) and pushes the same commit.
deploy() {
  api POST /api/v1/apps -d '{"name":"bench"}' >/dev/null
  (cd "$app" && git push -q "ssh://git@127.0.0.1:$ssh_port/bench.git" main 2>/dev/null)
  api POST /api/v1/apps/bench/functions/web/invoke -d '{}' >/dev/null   # the first, cold, invoke
}

build_laambda
run_laambda on
deploy
on_pid=$server_pid on_port=$http_port on_token=$token
run_laambda off LAAMBDA_LOG_STORE=off
deploy
off_pid=$server_pid off_port=$http_port off_token=$token
on_url="http://127.0.0.1:$on_port/api/v1/apps/bench/functions/web/invoke"
off_url="http://127.0.0.1:$off_port/api/v1/apps/bench/functions/web/invoke"

# Warm means warmed up: each server's JIT compiles the invoke path over the first few hundred calls.
warmup="${LAAMBDA_BENCH_WARMUP:-1000}"
python3 "$root/bench/load.py" "$on_url" "$warmup" 1 "$on_token" >/dev/null
python3 "$root/bench/load.py" "$off_url" "$warmup" 1 "$off_token" >/dev/null
# Half with the log store's server first in each pair of blocks, half with the other's, so going first or
# second favours neither; each figure is the mean of its two halves.
read -r a50 a99 arps aerr b50 b99 brps berr < <(python3 "$root/bench/pair.py" "$on_url" "$on_token" "$off_url" "$((n / 2))" "$off_token")
read -r c50 c99 crps cerr d50 d99 drps derr < <(python3 "$root/bench/pair.py" "$off_url" "$off_token" "$on_url" "$((n / 2))" "$on_token")
mean() { printf '%.2f' "$(echo "($1 + $2) / 2" | bc -l)"; }
on50=$(mean "$a50" "$d50"); on99=$(mean "$a99" "$d99"); onrps=$(mean "$arps" "$drps"); onerr=$((aerr + derr))
off50=$(mean "$b50" "$c50"); off99=$(mean "$b99" "$c99"); offrps=$(mean "$brps" "$crps"); offerr=$((berr + cerr))
read -r tail50 tail99 _ seen _ tails < <(python3 "$root/bench/tail.py" "http://127.0.0.1:$on_port" "$on_token" bench web \
  "${LAAMBDA_BENCH_TAILS:-100}" 100)
stored_on=$(http_port=$on_port token=$on_token api GET "/api/v1/apps/bench/logs?n=10000&source=app" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
stored_off=$(http_port=$off_port token=$off_token api GET "/api/v1/apps/bench/logs?n=10000&source=app" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

printf '\nwarm invoke, %d requests each (p50 and p99: mean of the two orders), same Python handler printing one line, host processes, 1 client, blocks alternating (ms):\n' "$n"
printf '  log store on (as shipped)  p50 %s p99 %s %s req/s\n' "$on50" "$on99" "$onrps"
printf '  LAAMBDA_LOG_STORE=off      p50 %s p99 %s %s req/s\n' "$off50" "$off99" "$offrps"
printf '  p50 ratio on/off %.3f (target <= 1.05)   errors %s/%s   function lines stored: on %s (newest, at most 10000), off %s\n' \
  "$(echo "$on50 / $off50" | bc -l)" "$onerr" "$offerr" "$stored_on" "$stored_off"
printf 'tail latency, function print -> SSE client (…/logs/stream), %s of %s lines seen: p50 %s ms p99 %s ms (target p50 < 100 ms)\n' \
  "$seen" "$tails" "$tail50" "$tail99"
