# Shared by the bench scripts: a Laambda server on free loopback ports with a throwaway data dir,
# an SSH key it knows, and an API helper. Source it after setting `work` (a temp dir) and `root`.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

start_laambda() {
  build_laambda
  run_laambda server
}

# The server jar, the runtime relay and an SSH key for pushes.
build_laambda() {
  echo "-----> Building the server" >&2
  (cd "$root" && mvn -q -B -pl server -am -DskipTests package) >&2
  "$root/scripts/build-runtime-relay" >&2
  ssh-keygen -q -t ed25519 -N "" -f "$work/key"
  export GIT_SSH_COMMAND="ssh -i $work/key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
  export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
}

# run_laambda NAME [SETTING=value ...]: a server with data dir $work/NAME and output $work/NAME.log, knowing the
# key; sets http_port, ssh_port, token and server_pid (the next call replaces them: keep what you need).
run_laambda() {
  local name=$1; shift
  http_port=$(free_port); ssh_port=$(free_port)
  # Like for like with the comparison (a host process): host builds and instances unless the caller says otherwise.
  env LAAMBDA_BUILDER="${LAAMBDA_BUILDER:-local}" LAAMBDA_INSTANCES="${LAAMBDA_INSTANCES:-process}" \
    LAAMBDA_DATA="$work/$name" LAAMBDA_HTTP_HOST=127.0.0.1 LAAMBDA_HTTP_PORT=$http_port LAAMBDA_SSH_HOST=127.0.0.1 \
    LAAMBDA_SSH_PORT=$ssh_port "$@" java -jar "$root/server/target/laambda-server-all.jar" > "$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 120); do grep -q "listening on" "$work/$name.log" && break; sleep 0.5; done
  token=$(grep -o 'lmb_[A-Za-z0-9_-]*' "$work/$name.log" | head -1)
  api POST "/api/v1/keys" -d "{\"public_key\":\"$(cat "$work/key.pub")\"}" >/dev/null
}

api() {
  local method=$1 path=$2; shift 2
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X "$method" "http://127.0.0.1:$http_port$path" "$@"
}
