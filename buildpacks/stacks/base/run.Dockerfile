# laambda/stack-run:trixie: the AWS Lambda base images' contract, which every run image shares, and
# by itself the stand-in for public.ecr.aws/lambda/provided:al2023 (the function brings its bootstrap).
# The platform runs these read-only, with /var/task mounted read-only, a tmpfs /tmp and any uid.
ARG BASE_IMAGE=laambda/stack-base:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/task /var/runtime /opt
COPY lambda-entrypoint.sh /lambda-entrypoint.sh
# The variables Lambda's base images set (LANG is C.UTF-8: Debian has it without a locales package).
ENV LAMBDA_TASK_ROOT=/var/task \
    LAMBDA_RUNTIME_DIR=/var/runtime \
    LANG=C.UTF-8 \
    TZ=:/etc/localtime \
    PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin \
    LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib
WORKDIR /var/task
ENTRYPOINT ["/lambda-entrypoint.sh"]
