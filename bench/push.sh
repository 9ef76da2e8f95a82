#!/usr/bin/env bash
# Push-to-live time: `git push laambda main` of a small Python app, against the same work done by hand
# (a raw `git push` over OpenSSH to a plain bare repo, then checkout + the same buildpack + zip), in one run.
# Prints the median of each and their ratio. Usage: bench/push.sh [RUNS]   (default 5)
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/laambda-bench-push.XXXXXX)"
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "${sshd_pid:-}" ] && kill "$sshd_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v /usr/sbin/sshd >/dev/null; then
  echo "-----> Installing openssh-server for the comparison" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
fi
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
start_laambda
api POST /api/v1/apps -d '{"name":"bench"}' >/dev/null

# The comparison: OpenSSH's sshd serving a plain bare repository.
sshd_port=$(free_port)
mkdir -p "$work/sshd" /run/sshd
ssh-keygen -q -t ed25519 -N "" -f "$work/sshd/host_key"
cp "$work/key.pub" "$work/sshd/authorized_keys"
cat > "$work/sshd/config" <<CONF
Port $sshd_port
ListenAddress 127.0.0.1
HostKey $work/sshd/host_key
AuthorizedKeysFile $work/sshd/authorized_keys
PasswordAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PidFile $work/sshd/pid
CONF
/usr/sbin/sshd -D -f "$work/sshd/config" &
sshd_pid=$!
git init -q --bare "$work/plain.git"

# The app: small Python, one dependency, two functions.
app="$work/app"
mkdir -p "$app" && cd "$app" && git init -q -b main
printf 'import six\n\ndef handler(event, context):\n    return {"created": event.get("width", 0)}\n' > CreateThumbnail.py
printf 'def handler(event, context):\n    return {"resized": True}\n' > ResizeThumbnail.py
printf 'six==1.16.0\n' > requirements.txt
printf 'create: CreateThumbnail.handler\nresize: ResizeThumbnail.handler\n' > Procfile
git add -A && git commit -qm first
git remote add laambda "ssh://git@127.0.0.1:$ssh_port/bench.git"
git remote add plain "ssh://root@127.0.0.1:$sshd_port$work/plain.git"
sleep 1

by_hand() {
  local sha=$1 dir="$work/byhand"
  git push -q plain main
  rm -rf "$dir" && mkdir -p "$dir/src" "$work/byhand-env"
  git --git-dir="$work/plain.git" archive "$sha" | tar -x -C "$dir/src"
  "$root/buildpacks/python/bin/compile" "$dir/src" "$work/byhand-cache" "$work/byhand-env" > /dev/null
  (cd "$dir/src" && zip -q -X -r "$dir/artifact.zip" .)
}

laambda_times=(); byhand_times=()
for i in $(seq "$runs"); do
  echo "# run $i" >> CreateThumbnail.py && git commit -qam "run $i"
  sha=$(git rev-parse HEAD)
  t0=$(now); git push -q laambda main 2>"$work/push.err" || { cat "$work/push.err" >&2; exit 1; }; t1=$(now)
  by_hand "$sha"; t2=$(now)
  laambda_times+=("$(echo "$t1 - $t0" | bc -l)"); byhand_times+=("$(echo "$t2 - $t1" | bc -l)")
  printf 'run %d: laambda %.2f s   by hand %.2f s\n' "$i" "${laambda_times[-1]}" "${byhand_times[-1]}"
done

l=$(printf '%s\n' "${laambda_times[@]}" | median); h=$(printf '%s\n' "${byhand_times[@]}" | median)
printf '\npush to live, median of %d (warm caches): laambda %.2f s, raw git push + buildpack by hand %.2f s\n' "$runs" "$l" "$h"
printf 'ratio laambda / by hand: %.2f\n' "$(echo "$l / $h" | bc -l)"
