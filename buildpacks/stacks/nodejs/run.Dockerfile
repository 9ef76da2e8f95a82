# Stand-in for public.ecr.aws/lambda/nodejs:20: Node.js 20 and AWS's runtime interface client
# (aws-lambda-ric from the npm registry, unmodified) in /var/runtime. Its native part (aws-lambda-cpp,
# curl) compiles in the build image; the run image gets only the result.
ARG BUILD_IMAGE=public.ecr.aws/sam/build-nodejs20.x:latest
ARG BASE_IMAGE=laambda/stack-run:trixie

# The registry setting reaches this stage only; its layers are not part of the run image.
# aws-lambda-ric 4.x needs Node.js 22; 3.3.0 is the newest for Node.js 20.
FROM ${BUILD_IMAGE} AS fetch
ARG NPM_CONFIG_REGISTRY
ARG AWS_LAMBDA_RIC_VERSION=3.3.0
WORKDIR /var/runtime
# The package's postinstall means to delete the unpacked sources of its native part (140 MB) but its
# `[^gz]` patterns match nothing under Debian's /bin/sh (dash): the same deletion is done here.
RUN npm install --omit=dev --no-audit --no-fund --no-update-notifier "aws-lambda-ric@${AWS_LAMBDA_RIC_VERSION}" \
 && find node_modules/aws-lambda-ric/deps -mindepth 1 -maxdepth 1 -type d \
      \( -name 'aws-lambda-cpp*' -o -name 'curl*' -o -name artifacts \) -exec rm -rf {} + \
 && rm -rf node_modules/aws-lambda-ric/build

FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs \
 && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /var/runtime/node_modules/ /var/runtime/node_modules/
COPY bootstrap /var/runtime/bootstrap
ENV NODE_PATH=/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task
