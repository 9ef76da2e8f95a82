# Stand-in for public.ecr.aws/sam/build-provided.al2023, for Go functions: Debian trixie's Go toolchain.
# Module downloads follow the build's GOPROXY/GONOSUMDB/GOFLAGS, passed in when a build runs; building
# this image fetches no module.
ARG BASE_IMAGE=laambda/stack-build:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go \
 && rm -rf /var/lib/apt/lists/*
