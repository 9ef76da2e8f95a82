#!/usr/bin/env bash
# buildpacks/stacks/build.sh [--rebuild] [base] [FAMILY...]: builds Laambda's local stand-ins for the
# AWS build and run images, from Debian trixie, and tags them with the real public names (no image
# registry is reachable here, so nothing is pulled). FAMILY: python nodejs java go php (default: all).
#
#   laambda/stack-base:trixie    debootstrap --variant=minbase, imported
#   laambda/stack-build:trixie   common build tools, the host's index settings   (base/build.Dockerfile)
#   laambda/stack-run:trixie     the Lambda run contract; also provided:al2023   (base/run.Dockerfile)
#   laambda/netfilter:trixie     iptables, for the server's function-network firewall (base/netfilter.Dockerfile)
#   <family> build and run images                                             (<family>/*.Dockerfile)
#
# An image whose tag exists is skipped unless --rebuild, which rebuilds the named families' images, and
# the four shared ones too when "base" is named or nothing is. Image names: LAAMBDA_IMAGE_<FAMILY>
# (build), LAAMBDA_RUN_IMAGE_<FAMILY> (run). Debian mirror: LAAMBDA_DEBIAN_MIRROR and
# LAAMBDA_DEBIAN_SECURITY_MIRROR ("none" leaves it out); default: the host's apt sources.
# docker's whole output goes to LAAMBDA_STACKS_LOG_DIR (default /tmp/laambda-stacks).
set -euo pipefail
stacks="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$stacks/../.." && pwd)"

families=(python nodejs java go php)
declare -A build_default=(
  [python]=public.ecr.aws/sam/build-python3.13:latest
  [nodejs]=public.ecr.aws/sam/build-nodejs20.x:latest
  [java]=public.ecr.aws/sam/build-java21:latest
  [go]=public.ecr.aws/sam/build-provided.al2023:latest
  [php]=bref/build-php-84:latest
)
declare -A run_default=(
  [python]=public.ecr.aws/lambda/python:3.13
  [nodejs]=public.ecr.aws/lambda/nodejs:20
  [java]=public.ecr.aws/lambda/java:21
  [go]=public.ecr.aws/lambda/provided:al2023
  [php]=public.ecr.aws/lambda/provided:al2023  # PHP ships its own runtime (bootstrap) in the function
)
base_image=laambda/stack-base:trixie
build_base=laambda/stack-build:trixie
run_base=laambda/stack-run:trixie
netfilter_image="${LAAMBDA_NETFILTER_IMAGE:-laambda/netfilter:trixie}"
suite=trixie
log_dir="${LAAMBDA_STACKS_LOG_DIR:-/tmp/laambda-stacks}"

fail() { echo "!     $*" >&2; exit 1; }
indent() { sed -u 's/^/       /'; }
build_image() { local var="LAAMBDA_IMAGE_${1^^}"; echo "${!var:-${build_default[$1]}}"; }
run_image() { local var="LAAMBDA_RUN_IMAGE_${1^^}"; echo "${!var:-${run_default[$1]}}"; }

rebuild=0 base_named=0
selected=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail "unknown option '$arg': use --rebuild, or name families (${families[*]}) or base" ;;
    base) base_named=1 ;;
    *) [ -n "${build_default[$arg]:-}" ] || fail "unknown family '$arg': choose from base ${families[*]}"
       selected+=("$arg") ;;
  esac
done
if [ ${#selected[@]} -eq 0 ] && [ "$base_named" = 0 ]; then
  selected=("${families[@]}") base_named=1
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
"$root/scripts/docker-engine"
mkdir -p "$log_dir"
work="$(mktemp -d "${TMPDIR:-/tmp}/laambda-stacks.XXXXXX")"
rootfs=""
cleanup() {
  if [ -n "$rootfs" ] && [ -d "$rootfs" ]; then
    # debootstrap unmounts what it mounted, but not when it was killed half-way.
    for mount in $(findmnt -rno TARGET | grep -F "$rootfs/" | sort -r); do $sudo umount -l "$mount" || true; done
    $sudo rm -rf --one-file-system "$rootfs"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# One row per image for the closing table: name, what happened, seconds.
report=()
declare -A handled=()  # images this run already built, tagged or skipped (go and php share a run image)
rebuild_base=$((rebuild && base_named))
exists() { docker image inspect "$1" >/dev/null 2>&1; }
skip() {  # skip TAG [REBUILD]: true (and noted) when TAG exists and is not to be rebuilt
  if [ -n "${handled[$1]:-}" ]; then
    return 0
  fi
  handled[$1]=1
  if [ "${2:-$rebuild}" = 0 ] && exists "$1"; then
    echo "-----> $1 exists (skipped)"
    report+=("$1|skipped|-")
    return 0
  fi
  return 1
}

# --- Host settings ------------------------------------------------------------------------------------
# Package-index settings from environment variables reach docker build as build args, and only the
# stages that declare them (ARG) get them: the fetch stages of the run images, whose layers are not part
# of the tagged run image. Docker keeps the proxy variables (http_proxy, ...) out of the image history.
# Settings held in files (pip.conf, ~/.npmrc, ~/.m2/settings.xml, added CAs) are copied into the common
# build image as its global configuration, so builds inside it reach the same index as the host. That
# copy holds whatever the host file holds (a token in ~/.npmrc, say) and nothing more: keep credentials
# out of those files, or out of images you publish. Go's settings (GOPROXY, GONOSUMDB, GOFLAGS) are not
# needed here: building the images fetches no Go module; builds get them from the builder.
proxy_vars=(http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY all_proxy)
index_vars=(PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_CERT NPM_CONFIG_REGISTRY MAVEN_OPTS MAVEN_ARGS)
declare -A index_value=()
for var in "${index_vars[@]}"; do
  [ -z "${!var:-}" ] || index_value[$var]="${!var}"
done
if [ -z "${index_value[NPM_CONFIG_REGISTRY]:-}" ] && command -v npm >/dev/null; then
  registry="$(npm config get registry 2>/dev/null || true)"
  [ -z "$registry" ] || index_value[NPM_CONFIG_REGISTRY]="$registry"
fi

# The host-settings folder copied into laambda/stack-build (see base/build.Dockerfile).
host_settings="$work/host-settings"
mkdir -p "$host_settings"
echo "Copies of the build host's package-index settings, made by buildpacks/stacks/build.sh." >"$host_settings/README"
copy_setting() {  # copy_setting NAME CANDIDATE...: the first readable candidate becomes NAME
  local file
  for file in "${@:2}"; do
    if [ -n "$file" ] && [ -r "$file" ] && [ -f "$file" ]; then cp "$file" "$host_settings/$1"; return; fi
  done
}
copy_setting pip-global.conf /etc/pip.conf /etc/xdg/pip/pip.conf
copy_setting pip-user.conf "${PIP_CONFIG_FILE:-}" "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"
copy_setting maven-settings.xml "$HOME/.m2/settings.xml"
# Only the registry, auth, TLS and proxy lines of ~/.npmrc: the rest (cache=, prefix=, nodedir=) names
# the host's own paths, which the image does not have.
npmrc="${NPM_CONFIG_USERCONFIG:-$HOME/.npmrc}"
if [ -r "$npmrc" ]; then
  grep -E '^[[:space:]]*(registry|@[^=]+:registry|//[^=]+|strict-ssl|cafile|ca(\[\])?|proxy|https-proxy|noproxy|always-auth)[[:space:]]*=' \
    "$npmrc" >"$host_settings/npmrc" || rm -f "$host_settings/npmrc"
fi
# Certificate authorities the host added to its trust store (a TLS-inspecting proxy's, say): without
# them no client in the image trusts that proxy. update-ca-certificates adds them in the image.
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  mkdir -p "$host_settings/ca-certificates"
  find /usr/local/share/ca-certificates -name '*.crt' -type f -exec cp {} "$host_settings/ca-certificates/" \;
fi
# A PIP_CERT bundle of the host's goes into the image, and the fetch stages are pointed at the copy.
if [ -n "${index_value[PIP_CERT]:-}" ] && [ -f "${index_value[PIP_CERT]}" ]; then
  cp "${index_value[PIP_CERT]}" "$host_settings/pip-cert.pem"
  index_value[PIP_CERT]=/etc/laambda/host-settings/pip-cert.pem
fi

# --- Building -----------------------------------------------------------------------------------------
# A rebuilt image's predecessor, now untagged, goes (docker keeps it while another image needs it).
drop_previous() {  # drop_previous TAG PREVIOUS-ID
  if [ -n "$2" ] && [ "$2" != "$(docker image inspect --format '{{.Id}}' "$1")" ]; then
    docker rmi "$2" >/dev/null 2>&1 || true
  fi
}

# docker_build TAG CONTEXT DOCKERFILE [--build-arg ...]: the legacy builder (Docker 20.10 here has no
# buildx), host networking (no bridge). Step lines are shown; the whole output is in the log.
docker_build() {
  local tag="$1" context="$2" dockerfile="$3" started=$SECONDS var
  local args=(--network host --force-rm --tag "$tag" --file "$dockerfile" "${@:4}")
  for var in "${proxy_vars[@]}"; do
    [ -z "${!var:-}" ] || args+=(--build-arg "$var=${!var}")
  done
  for var in "${!index_value[@]}"; do
    if grep -Eq "^ARG $var([= ]|$)" "$dockerfile"; then args+=(--build-arg "$var=${index_value[$var]}"); fi
  done
  local log="$log_dir/$(echo "$tag" | tr '/:' '__').log" previous
  previous="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
  echo "-----> Building $tag"
  if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" "$context" >"$log" 2>&1 </dev/null; then
    grep -E '^Step [0-9]+/' "$log" | cut -c1-110 | indent
    echo "!     docker build of $tag failed; last lines (whole log: $log):" >&2
    tail -n 25 "$log" | sed 's/\x1b\[[0-9;]*m//g' | indent >&2
    exit 1
  fi
  grep -E '^Step [0-9]+/' "$log" | cut -c1-110 | indent
  drop_previous "$tag" "$previous"
  echo "       built in $((SECONDS - started)) s"
  report+=("$tag|built|$((SECONDS - started))")
}

# The Debian archive the host's apt uses: the first URI whose path ends in /debian (/debian-security).
host_archive() {
  local ending="$1"
  {
    grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
    grep -hE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
  } | grep -oE 'https?://[^][[:space:]]+' | sed 's|/*$||' | grep -E "/$ending\$" | head -n 1
}

build_base_image() {
  skip "$base_image" "$rebuild_base" && return
  command -v debootstrap >/dev/null || {
    echo "-----> Installing debootstrap"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  local mirror="${LAAMBDA_DEBIAN_MIRROR:-$(host_archive debian)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  local security="${LAAMBDA_DEBIAN_SECURITY_MIRROR:-$(host_archive debian-security)}"
  local started=$SECONDS log="$log_dir/stack-base.log" previous
  previous="$(docker image inspect --format '{{.Id}}' "$base_image" 2>/dev/null || true)"
  echo "-----> Building $base_image: debootstrap --variant=minbase $suite from $mirror"
  rootfs="$(mktemp -d /var/tmp/laambda-rootfs.XXXXXX)"
  # sudo would drop the proxy variables debootstrap's downloads need.
  local keep=()
  [ -z "$sudo" ] || keep=(--preserve-env="$(IFS=,; echo "${proxy_vars[*]}")")
  if ! $sudo "${keep[@]}" debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$log" 2>&1; then
    echo "!     debootstrap failed; last lines (whole log: $log):" >&2
    tail -n 25 "$log" | indent >&2
    exit 1
  fi
  {
    echo "deb $mirror $suite main"
    echo "deb $mirror $suite-updates main"
    if [ -n "$security" ] && [ "$security" != none ]; then echo "deb $security $suite-security main"; fi
  } | $sudo tee "$rootfs/etc/apt/sources.list" >/dev/null
  # Small images: no recommended packages, no apt caches left in a layer (downloaded .debs, the binary
  # package caches), no documentation, manuals or translations but the licences.
  $sudo tee "$rootfs/etc/apt/apt.conf.d/90laambda" >/dev/null <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
APT
  $sudo tee "$rootfs/etc/dpkg/dpkg.cfg.d/90laambda" >/dev/null <<'DPKG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
DPKG
  $sudo find "$rootfs/usr/share/doc" ! -type d ! -name copyright -delete
  $sudo find "$rootfs/usr/share/man" "$rootfs/usr/share/info" "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 \
    ! -name locale.alias -exec rm -rf {} +
  # Packages that register manual pages as alternatives (OpenJDK) expect the directory.
  $sudo mkdir -p "$rootfs/usr/share/man/man1"
  $sudo rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  if ! $sudo tar --numeric-owner -C "$rootfs" -c . |
      docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$base_image" >>"$log" 2>&1; then
    echo "!     docker import of $base_image failed; last lines (whole log: $log):" >&2
    tail -n 5 "$log" | indent >&2
    exit 1
  fi
  $sudo rm -rf --one-file-system "$rootfs"
  rootfs=""
  drop_previous "$base_image" "$previous"
  echo "       $(grep -c '^I: Validating' "$log") packages; built in $((SECONDS - started)) s"
  report+=("$base_image|built|$((SECONDS - started))")
}

build_build_base() {
  skip "$build_base" "$rebuild_base" && return
  cp "$stacks/base/build.Dockerfile" "$work/"
  docker_build "$build_base" "$work" "$work/build.Dockerfile" --build-arg "BASE_IMAGE=$base_image"
}

build_run_base() {
  skip "$run_base" "$rebuild_base" && return
  docker_build "$run_base" "$stacks/base" "$stacks/base/run.Dockerfile" --build-arg "BASE_IMAGE=$base_image"
}

build_netfilter() {
  skip "$netfilter_image" "$rebuild_base" && return
  docker_build "$netfilter_image" "$stacks/base" "$stacks/base/netfilter.Dockerfile" --build-arg "BASE_IMAGE=$base_image"
}

build_family() {
  local family="$1" build run
  build="$(build_image "$family")" run="$(run_image "$family")"
  skip "$build" || docker_build "$build" "$stacks/$family" "$stacks/$family/build.Dockerfile" \
    --build-arg "BASE_IMAGE=$build_base"
  if [ -f "$stacks/$family/run.Dockerfile" ]; then
    skip "$run" || docker_build "$run" "$stacks/$family" "$stacks/$family/run.Dockerfile" \
      --build-arg "BUILD_IMAGE=$build" --build-arg "BASE_IMAGE=$run_base"
  elif ! skip "$run"; then
    # provided.al2023: the run contract alone; the function brings its own bootstrap.
    echo "-----> Tagging $run_base as $run"
    docker tag "$run_base" "$run"
    report+=("$run|tagged|0")
  fi
}

# --- Smoke checks ---------------------------------------------------------------------------------------
# Run images as the platform runs them (read-only root, tmpfs /tmp, an arbitrary uid): the runtime
# interface client is there and loads. Build images as builds run them (an arbitrary uid): the toolchain
# answers and HOME is writable.
smoke() {  # smoke IMAGE WHAT DOCKER-RUN-OPTION... -- COMMAND...
  local image="$1" what="$2" options=() out
  shift 2
  while [ "$1" != -- ]; do options+=("$1"); shift; done
  shift
  if out="$(docker run --rm --network host --user 12345:12345 "${options[@]}" --entrypoint "$1" "$image" "${@:2}" 2>&1 </dev/null)"; then
    echo "       ok  $image: $what"
  else
    echo "!     smoke check failed: $image: $what:" >&2
    echo "$out" | tail -n 10 | indent >&2
    smoke_failed=1
  fi
}

smoke_checks() {
  local family run build locked=(--read-only --tmpfs /tmp)
  declare -A checked=()
  echo "-----> Smoke checks (uid 12345; run images read-only with a tmpfs /tmp)"
  for family in "${selected[@]}"; do
    build="$(build_image "$family")"
    smoke "$build" "HOME is writable" -- sh -c 'touch "$HOME/.laambda" && rm "$HOME/.laambda"'
    case "$family" in
      python) smoke "$build" "pip, venv, pipenv, poetry" -- sh -c \
                'python3 -m pip --version && python3 -m venv "$HOME/venv" && pipenv --version && poetry --version' ;;
      nodejs) smoke "$build" "node, npm" -- sh -c 'node --version && npm --version && npm config get cache' ;;
      java) smoke "$build" "javac, mvn" -- sh -c 'javac -version && mvn -B -v' ;;
      go) smoke "$build" "go" -- sh -c 'go version && go env GOCACHE GOPATH' ;;
      php) smoke "$build" "php with mbstring, xml, curl, zip; composer" -- sh -c \
             'php -r "foreach ([\"mbstring\", \"xml\", \"curl\", \"zip\"] as \$e) { if (!extension_loaded(\$e)) { echo \"missing \$e\n\"; exit(1); } }" && composer --version' ;;
    esac
    run="$(run_image "$family")"
    [ -z "${checked[$run]:-}" ] || continue
    checked[$run]=1
    case "$family" in
      python) smoke "$run" "awslambdaric imports" "${locked[@]}" -- python3 -c 'import awslambdaric.bootstrap' ;;
      # The native part reads the Runtime API address as it loads; nothing is contacted.
      nodejs) smoke "$run" "aws-lambda-ric and its native part load" "${locked[@]}" -e AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 -- \
                node -e 'require("/var/runtime/node_modules/aws-lambda-ric/dist/rapid-client.node"); require.resolve("aws-lambda-ric/bin/index.mjs", {paths: ["/var/runtime"]})' ;;
      java) smoke "$run" "the client's JNI library is unpacked, its main class loads" "${locked[@]}" -- sh -c \
              'test -s /var/runtime/lib/libaws-lambda-jni.so && java --dry-run -cp "/var/runtime/lib/*" com.amazonaws.services.lambda.runtime.api.client.AWSLambda' ;;
      go|php) smoke "$run" "entrypoint and CA certificates" "${locked[@]}" -- sh -c \
                'test -x /lambda-entrypoint.sh && test -s /etc/ssl/certs/ca-certificates.crt' ;;
    esac
  done
}

total=$SECONDS
build_base_image
build_build_base
build_run_base
build_netfilter
for family in "${selected[@]}"; do
  build_family "$family"
done
smoke_failed=0
smoke_checks

echo "-----> Images"
printf '       %-48s %9s %9s  %s\n' IMAGE SIZE SECONDS ""
for row in "${report[@]}"; do
  IFS='|' read -r image what seconds <<<"$row"
  size="$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1000000}')"
  printf '       %-48s %9s %9s  %s\n' "$image" "$size" "$seconds" "$what"
done
echo "       total $((SECONDS - total)) s"
exit "$smoke_failed"
