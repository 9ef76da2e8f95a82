# Stand-in for public.ecr.aws/lambda/python:3.13: Python 3.13 and AWS's runtime interface client
# (awslambdaric from the package index, unmodified) in /var/runtime.
ARG BUILD_IMAGE=public.ecr.aws/sam/build-python3.13:latest
ARG BASE_IMAGE=laambda/stack-run:trixie

# The index settings reach this stage only; its layers are not part of the run image.
FROM ${BUILD_IMAGE} AS fetch
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
ARG PIP_CERT
ARG AWSLAMBDARIC_VERSION
RUN python3 -m pip install --no-cache-dir --disable-pip-version-check --no-input --root-user-action=ignore \
      --target /var/runtime "awslambdaric${AWSLAMBDARIC_VERSION:+==$AWSLAMBDARIC_VERSION}"

FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /var/runtime/ /var/runtime/
COPY bootstrap /var/runtime/bootstrap
ENV PYTHONPATH=/var/runtime
