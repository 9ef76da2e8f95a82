# Stand-in for public.ecr.aws/sam/build-nodejs20.x: Debian trixie's Node.js 20 and npm, with Node's
# headers (libnode-dev) and a C/C++ toolchain so native modules build without downloading anything.
# python3-setuptools gives Python 3.13 the distutils that older node-gyp releases (9.x) still import.
ARG BASE_IMAGE=laambda/stack-build:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm libnode-dev build-essential python3 python3-setuptools \
      autoconf automake libtool cmake \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the installed headers instead of fetching them from nodejs.org.
ENV npm_config_nodedir=/usr
