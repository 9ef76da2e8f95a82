#!/bin/sh
# /lambda-entrypoint.sh HANDLER, as in AWS Lambda's base images: exports _HANDLER and execs the runtime's
# /var/runtime/bootstrap. AWS's images run their Runtime Interface Emulator when AWS_LAMBDA_RUNTIME_API
# is unset; these stand-ins have none, so they need a Runtime API (Laambda's) to talk to.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" >&2
  exit 142
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then
  echo "AWS_LAMBDA_RUNTIME_API is not set: this Laambda stand-in image has no Runtime Interface Emulator; run it with a Runtime API" >&2
  exit 1
fi
if [ ! -x /var/runtime/bootstrap ]; then
  echo "/var/runtime/bootstrap is missing: this image has no runtime; a provided runtime brings its own bootstrap" >&2
  exit 127
fi
exec /var/runtime/bootstrap "$1"
