# Stand-in for bref/build-php-84: Debian trixie's PHP CLI with the common extensions, and Composer.
ARG BASE_IMAGE=laambda/stack-build:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q php-cli php-mbstring php-xml php-curl php-zip composer \
 && rm -rf /var/lib/apt/lists/*
