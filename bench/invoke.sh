#!/usr/bin/env bash
# Warm invoke latency and throughput: the same Python handler through Laambda's local runtime and through
# AWS's Lambda Runtime Interface Emulator (aws-lambda-rie, the Go module), one client and 4 concurrent
# clients, in one run; then cold start vs a bare start of the same runtime process. Prints ratios.
# Usage: bench/invoke.sh [N]   (default 500 invocations per measurement, after LAAMBDA_BENCH_WARMUP=1000)
#        LAAMBDA_INSTANCES=container bench/invoke.sh [N]: Laambda's container instances against the emulator
#        in a container of the same run image (AWS's own way to run it), with the same limits.
set -euo pipefail
n="${1:-500}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/laambda-bench-invoke.XXXXXX)"
cleanup() {
  for pid in ${server_pid:-} ${rie_pid:-}; do kill "$pid" 2>/dev/null || true; done
  [ -z "${rie_container:-}" ] || docker rm -f "$rie_container" >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

rie="$(go env GOPATH)/bin/aws-lambda-rie"
if [ ! -x "$rie" ]; then
  echo "-----> Installing aws-lambda-rie from the Go module proxy" >&2
  go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@latest >&2
fi

app="$work/app"
mkdir -p "$app" && printf 'def handler(event, context):\n    return {"created": event.get("width")}\n' > "$app/app.py"
printf 'web: app.handler\n' > "$app/Procfile"

start_laambda
api POST /api/v1/apps -d '{"name":"bench"}' >/dev/null
(cd "$app" && git init -q -b main && git add -A && git commit -qm bench \
  && git push -q "ssh://git@127.0.0.1:$ssh_port/bench.git" main 2>/dev/null)
laambda_url="http://127.0.0.1:$http_port/api/v1/apps/bench/functions/web/invoke"

api POST /api/v1/apps/bench/functions/web/invoke -d '{}' >/dev/null   # installs the client, warms Laambda
rie_port=$(free_port)
rie_url="http://127.0.0.1:$rie_port/2015-03-31/functions/function/invocations"
if [ "${LAAMBDA_INSTANCES:-process}" = container ]; then
  # The emulator as the entrypoint of the same run image, with the limits Laambda's instances get (1024 MB:
  # a function's default memory).
  run_image="${LAAMBDA_RUN_IMAGE_PYTHON:-public.ecr.aws/lambda/python:3.13}"
  chmod 0755 "$work"   # the function user (993) reads the handler through it
  base_limits=(--user 993:990 --read-only --tmpfs /tmp:rw,exec,size=512m --memory 1024m -v "$app:/var/task:ro")
  container_limits=(--network host "${base_limits[@]}")
  # Laambda's sandbox around the same start: a network namespace of its own on the function network (the server
  # made it), no capabilities, no privilege gain, Lambda's process and file limits.
  sandbox_limits=(--network laambda-functions --cap-drop ALL --security-opt no-new-privileges --pids-limit 1024
                  --ulimit nofile=1024:1024 "${base_limits[@]}")
  rie_container=$(docker run -d "${container_limits[@]}" -v "$rie:/usr/local/bin/aws-lambda-rie:ro" \
    --entrypoint /usr/local/bin/aws-lambda-rie "$run_image" \
    --runtime-interface-emulator-address "127.0.0.1:$rie_port" /lambda-entrypoint.sh app.handler)
else
  # The emulator runs the same handler with the same runtime client Laambda installed.
  client="$work/server/runtimes/python"
  (cd "$app" && PYTHONPATH="$client:$app" "$rie" --runtime-interface-emulator-address "127.0.0.1:$rie_port" \
    python3 -m awslambdaric app.handler > "$work/rie.log" 2>&1) &
  rie_pid=$!
fi
for _ in $(seq 50); do curl -sf -X POST -d '{}' "$rie_url" >/dev/null 2>&1 && break; sleep 0.2; done

measure() { python3 "$root/bench/load.py" "$@"; }
ratio() { if [ "$2" = "nan" ] || [ "$(echo "$2 == 0" | bc -l)" = 1 ]; then echo "n/a"; else printf '%.2f' "$(echo "$1 / $2" | bc -l)"; fi; }
# Warm means warmed up: the server's JIT compiles the invoke path over the first few hundred calls
# (p50 about 5.5 ms over the first 400, 3.3 ms after), the emulator (Go) needs none; both get the same.
warmup="${LAAMBDA_BENCH_WARMUP:-1000}"
python3 "$root/bench/load.py" "$laambda_url" "$warmup" 1 "$token" >/dev/null
python3 "$root/bench/load.py" "$rie_url" "$warmup" 1 >/dev/null
# One client, alternating blocks of calls to Laambda and to the emulator, so the machine's noise hits both alike.
read -r l50 l99 lrps lerr r50 r99 rrps rerr < <(python3 "$root/bench/pair.py" "$laambda_url" "$token" "$rie_url" "$n")
read -r lc50 lc99 lcrps lcerr < <(measure "$laambda_url" "$n" 4 "$token")
read -r rc50 rc99 rcrps rcerr < <(measure "$rie_url" "$n" 4)

# Cold start: a config change makes a new release, so the next invoke starts a new instance.
cold=()
bare=()
sandboxed=()
for i in 1 2 3; do
  api PATCH /api/v1/apps/bench/config -d "{\"RUN\":\"$i\"}" >/dev/null
  t0=$(now); api POST /api/v1/apps/bench/functions/web/invoke -d '{}' >/dev/null; t1=$(now)
  cold+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
  if [ -n "${rie_container:-}" ]; then
    t0=$(now); docker run --rm "${container_limits[@]}" --entrypoint python3 "$run_image" \
      -c 'import awslambdaric.bootstrap, app'; t1=$(now)
    t2=$(now); docker run --rm "${sandbox_limits[@]}" --entrypoint python3 "$run_image" \
      -c 'import awslambdaric.bootstrap, app'; t3=$(now)
    sandboxed+=("$(echo "($t3 - $t2) * 1000" | bc -l)")
  else
    t0=$(now); (cd "$app" && PYTHONPATH="$client:$app" python3 -c 'import awslambdaric.bootstrap, app') ; t1=$(now)
  fi
  bare+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
done
cold_ms=$(printf '%s\n' "${cold[@]}" | median); bare_ms=$(printf '%s\n' "${bare[@]}" | median)

printf '\nwarm invoke, %d requests, same Python handler, %s (ms; 1 client: req/s of its own request time, in blocks alternating with the emulator):\n' "$n" \
  "$([ -n "${rie_container:-}" ] && echo "containers of $run_image" || echo "host processes")"
printf '  1 client    laambda p50 %s p99 %s %s req/s   rie p50 %s p99 %s %s req/s   p50 ratio %s  throughput ratio %s\n' \
  "$l50" "$l99" "$lrps" "$r50" "$r99" "$rrps" "$(ratio "$l50" "$r50")" "$(ratio "$lrps" "$rrps")"
printf '  4 clients   laambda p50 %s p99 %s %s req/s   rie p50 %s p99 %s %s req/s   throughput ratio %s\n' \
  "$lc50" "$lc99" "$lcrps" "$rc50" "$rc99" "$rcrps" "$(ratio "$lcrps" "$rcrps")"
printf '  errors      laambda %s/%s   rie %s/%s\n' "$lerr" "$lcerr" "$rerr" "$rcerr"
printf 'cold start (median of 3): laambda first invoke of a new release %.0f ms, bare start of python3 + awslambdaric + handler import%s %.0f ms, ratio %.2f\n' \
  "$cold_ms" "$([ -n "${rie_container:-}" ] && echo " (docker run on the host's network)")" "$bare_ms" "$(echo "$cold_ms / $bare_ms" | bc -l)"
if [ ${#sandboxed[@]} -gt 0 ]; then
  sandboxed_ms=$(printf '%s\n' "${sandboxed[@]}" | median)
  printf '           the same docker run in the function sandbox (own network namespace, no capabilities) %.0f ms, ratio %.2f\n' \
    "$sandboxed_ms" "$(echo "$cold_ms / $sandboxed_ms" | bc -l)"
fi
