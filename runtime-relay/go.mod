module laambda.dev/runtime-relay

go 1.22
