#!/usr/bin/env bash
# Build speed per language, in one run: a first push (cold cache), a re-push with unchanged dependencies
# (an empty commit), a re-push with one changed source file, each timed end to end (git push until the
# release is live); and the same buildpack run once with a bare `docker run` in the same build image on a
# cold cache, the floor a push pays for. Prints the ratios. Needs Docker and the images of
# buildpacks/stacks/build.sh.
# Usage: bench/build.sh [LANGUAGE...]   (default: every language with an app in bench/apps/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/laambda-bench-build.XXXXXX)"
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

languages=("$@")
[ ${#languages[@]} -gt 0 ] || mapfile -t languages < <(ls "$root/bench/apps")
export LAAMBDA_BUILDER=docker LAAMBDA_INSTANCES=container
start_laambda

timed_push() {  # timed_push REPO APP: seconds from git push to the new release being live
  local t0 t1
  t0=$(now)
  (cd "$1" && git push -q "ssh://git@127.0.0.1:$ssh_port/$2.git" main 2> "$work/push-$2.log") \
    || { cat "$work/push-$2.log" >&2; exit 1; }
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

build_image() {  # the build image the server used, from the push output
  sed -n 's/^remote: -----> Build image \([^ ]*\).*/\1/p' "$work/push-$1.log" | head -1
}

printf '%-8s %10s %10s %10s %12s %14s %14s\n' language first unchanged one-file bare-docker first/bare first/unchanged
for lang in "${languages[@]}"; do
  app="bench-$lang"
  repo="$work/$lang"
  cp -r "$root/bench/apps/$lang" "$repo"
  (cd "$repo" && git init -q -b main && git add -A && git commit -qm first)
  api POST /api/v1/apps -d "{\"name\":\"$app\"}" >/dev/null
  first=$(timed_push "$repo" "$app")
  image=$(build_image "$app")
  (cd "$repo" && git commit -q --allow-empty -m unchanged)
  unchanged=$(timed_push "$repo" "$app")
  grep -q "Using cached\|Using .* cache" "$work/push-$app.log" || echo "warning: $lang re-push did not report its cache" >&2
  source_file=$(cd "$repo" && git ls-files | grep -v -e Procfile -e requirements -e package -e pom.xml -e go.mod -e go.sum -e composer | head -1)
  (cd "$repo" && printf '\n' >> "$source_file" && git commit -qam "one file")
  one_file=$(timed_push "$repo" "$app")

  # The same buildpack in the same image with a bare docker run: cold cache, no git, no packing, no release.
  bare_src="$work/bare-$lang"; mkdir -p "$bare_src/build" "$bare_src/cache" "$bare_src/env"
  cp -r "$root/bench/apps/$lang/." "$bare_src/build/"
  t0=$(now)
  docker run --rm --network host -v "$bare_src/build:/tmp/build" -v "$bare_src/cache:/tmp/cache" \
    -v "$bare_src/env:/tmp/env:ro" -v "$root/buildpacks:/buildpacks:ro" -e HOME=/tmp \
    $(env | grep -E '^(PIP_|NPM_CONFIG_|GOPROXY|GOFLAGS|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)' | sed 's/=.*//; s/^/-e /') \
    $( [ -f /etc/ssl/certs/ca-certificates.crt ] && echo "-v /etc/ssl/certs:/etc/ssl/certs:ro" ) \
    --entrypoint "/buildpacks/$lang/bin/compile" "$image" /tmp/build /tmp/cache /tmp/env > "$work/bare-$lang.log" 2>&1 \
    || { cat "$work/bare-$lang.log" >&2; exit 1; }
  t1=$(now)
  bare=$(echo "$t1 - $t0" | bc -l)
  printf '%-8s %9.2fs %9.2fs %9.2fs %11.2fs %14.2f %14.2f\n' "$lang" "$first" "$unchanged" "$one_file" "$bare" \
    "$(echo "$first / $bare" | bc -l)" "$(echo "$first / $unchanged" | bc -l)"
done
