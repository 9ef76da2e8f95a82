#!/usr/bin/env bash
# Push-to-live on the aws platform: `git push laambda main` of the seed app (two Python functions) to an aws app
# whose Lambda is moto's on loopback, against a plain boto3 script (bench/aws_direct.py) making the same Lambda
# calls (create or update code + configuration, waiters, publish, alias `live`) for the zip Laambda just built,
# in one run. Prints the median of each and their ratio, and how much of Laambda's push was the build.
# Usage: bench/aws.sh [RUNS]   (default 5; builds on the host: LAAMBDA_BUILDER=local unless set)
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/laambda-bench-aws.XXXXXX)"
cleanup() {
  if [ -n "${direct_pid:-}" ]; then exec 3>&- 4<&-; kill "$direct_pid" 2>/dev/null || true; fi
  for pid in ${server_pid:-} ${moto_pid:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# moto on loopback, Lambda without Docker (an invoke echoes its event; deploys are bookkeeping), the role in its IAM.
moto_server="$("$root/scripts/moto-server" --install)"
python="$(dirname "$moto_server")/python"   # moto's virtualenv has boto3
moto_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/scripts/moto-server" "$moto_port" > "$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$moto_port"
for _ in $(seq 100); do curl -sf "$endpoint/moto-api/config" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf -X POST -H 'Content-Type: application/json' -d '{"lambda":{"use_docker":false}}' "$endpoint/moto-api/config" >/dev/null
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
role=$("$python" -c 'import boto3, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1])
print(iam.create_role(RoleName="lambda", AssumeRolePolicyDocument=sys.argv[2])["Role"]["Arn"])' "$endpoint" \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
export LAAMBDA_AWS_ENDPOINT="$endpoint"
start_laambda
api POST /api/v1/apps -d "{\"name\":\"bench\",\"platform\":\"aws\",\"role_arn\":\"$role\"}" >/dev/null

# The seed app, as in AwsPushTest.
app="$work/app"
mkdir -p "$app" && cd "$app" && git init -q -b main
printf 'def handler(event, context):\n    return {"created": event.get("width")}\n' > CreateThumbnail.py
printf 'def handler(event, context):\n    return {"resized": True}\n' > ResizeThumbnail.py
: > requirements.txt
printf 'create: CreateThumbnail.handler\nresize: ResizeThumbnail.handler\n' > Procfile
git add -A && git commit -qm first
git remote add laambda "ssh://git@127.0.0.1:$ssh_port/bench.git"

# One push, each line of its output stamped when it arrived; sets push_s, build_s (push start to the artifact
# stored) and zip (the artifact Laambda built, from its data dir).
push() {
  local t0 line status
  : > "$work/push.out"
  t0=$EPOCHREALTIME
  set +o pipefail
  git push laambda main 2>&1 | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$work/push.out"
  set -o pipefail
  push_s=$(echo "$EPOCHREALTIME - $t0" | bc -l)
  grep -q 'Released v' "$work/push.out" || { cat "$work/push.out" >&2; echo "push failed" >&2; exit 1; }
  build_s=$(echo "$(awk '/Compressed artifact/ {print $1; exit}' "$work/push.out") - $t0" | bc -l)
  local sha12
  sha12=$(grep -o 'sha256 [0-9a-f]*' "$work/push.out" | head -1 | cut -d' ' -f2)
  zip=$(find "$work/server/artifacts" -name "$sha12*.zip" | head -1)
  [ -f "$zip" ] || { echo "no artifact $sha12 under $work/server/artifacts" >&2; exit 1; }
}

# The comparison, started once (client made once, as Laambda's are): one zip path in, one time out.
direct() {
  echo "$1" >&3
  read -r -t 120 direct_s <&4 || { cat "$work/direct.err" >&2; echo "aws_direct.py gave no answer" >&2; exit 1; }
}

# First push: creates both functions; the script creates its own pair from the same zip.
push
first_push=$push_s; first_build=$build_s
coproc DIRECT { exec "$python" "$root/bench/aws_direct.py" "$endpoint" bench direct create resize 2>"$work/direct.err"; }
direct_pid=$DIRECT_PID
exec 3>&"${DIRECT[1]}" 4<&"${DIRECT[0]}"
direct "$zip"
first_direct=$direct_s
printf 'first push (creates): laambda %.2f s (build %.2f s)   direct SDK calls %.2f s\n' "$first_push" "$first_build" "$first_direct"

# moto logs one line per request: how many AWS calls each side made for one deploy.
requests() { grep -c '" [0-9][0-9][0-9] ' "$work/moto.log" || true; }
laambda_times=(); build_times=(); direct_times=()
for i in $(seq "$runs"); do
  echo "# run $i" >> CreateThumbnail.py && git commit -qam "run $i"
  r0=$(requests)
  push
  r1=$(requests)
  direct "$zip"
  r2=$(requests)
  laambda_times+=("$push_s"); build_times+=("$build_s"); direct_times+=("$direct_s")
  printf 'run %d: laambda %.2f s (build %.2f s, then release + Lambda %.2f s; %d AWS requests)   direct SDK calls %.2f s (%d requests)\n' \
    "$i" "$push_s" "$build_s" "$(echo "$push_s - $build_s" | bc -l)" "$((r1 - r0))" "$direct_s" "$((r2 - r1))"
done
"$python" - "$endpoint" <<'PY' >&2 || { echo "the functions are not live as expected" >&2; exit 1; }
import boto3, sys
lam = boto3.client("lambda", endpoint_url=sys.argv[1])
for name in ("bench-create", "bench-resize", "direct-create", "direct-resize"):
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] != "$LATEST", name
PY

l=$(printf '%s\n' "${laambda_times[@]}" | median)
b=$(printf '%s\n' "${build_times[@]}" | median)
d=$(printf '%s\n' "${direct_times[@]}" | median)
rest=$(printf '%s\n' "${laambda_times[@]}" | paste -d- - <(printf '%s\n' "${build_times[@]}") | bc -l | median)
printf '\npush to live on aws (moto on loopback), seed app (2 functions), median of %d updates, builder %s:\n' \
  "$runs" "${LAAMBDA_BUILDER:-local}"
printf '  laambda git push %.2f s (build %.2f s, after the build: release + Lambda calls %.2f s)\n' "$l" "$b" "$rest"
printf '  direct boto3 calls for the same zip (update code + config, waiters, publish, alias) %.2f s\n' "$d"
printf 'ratio laambda push-to-live / direct SDK calls: %.2f   (after the build only: %.2f)\n' \
  "$(echo "$l / $d" | bc -l)" "$(echo "$rest / $d" | bc -l)"
