# Stand-in for public.ecr.aws/sam/build-java21: OpenJDK 21 and Maven.
ARG BASE_IMAGE=laambda/stack-build:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-21-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/* \
 && if [ -f /etc/laambda/host-settings/maven-settings.xml ]; then \
      cp /etc/laambda/host-settings/maven-settings.xml /etc/maven/settings.xml; \
    fi
