# Stand-in for public.ecr.aws/sam/build-python3.13: Debian trixie's Python 3.13 with pip, venv, pipenv,
# poetry and a C toolchain for packages that build from source.
ARG BASE_IMAGE=laambda/stack-build:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-pip python3-venv python3-dev \
      build-essential pipenv python3-poetry \
 && rm -rf /var/lib/apt/lists/*
