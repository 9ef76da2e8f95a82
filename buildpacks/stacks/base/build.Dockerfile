# laambda/stack-build:trixie: what every build image shares. A buildpack's bin/compile runs in it as any
# uid (docker run --user UID:GID), so HOME is /tmp, which every uid may write.
ARG BASE_IMAGE=laambda/stack-base:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bash coreutils findutils sed grep gawk tar gzip xz-utils \
      bzip2 ca-certificates curl git zip unzip file patch \
 && rm -rf /var/lib/apt/lists/*
# The build host's package-index settings (copied by build.sh from /etc/pip.conf, ~/.config/pip/pip.conf,
# ~/.npmrc, ~/.m2/settings.xml) and the CAs it added to its trust store, made this image's global
# configuration so builds here reach the same index as the host, through the same proxy. Readable by every uid, as builds run under any uid: they hold what the host files
# hold, so keep credentials out of those files or out of images you publish. Maven's copy is put in
# place by the Java build image, which installs Maven.
COPY host-settings/ /etc/laambda/host-settings/
RUN cd /etc/laambda/host-settings \
 && chmod -R a+rX . \
 && if [ -f pip-global.conf ]; then mkdir -p /etc/xdg/pip && cp pip-global.conf /etc/xdg/pip/pip.conf; fi \
 && if [ -f pip-user.conf ]; then cp pip-user.conf /etc/pip.conf; fi \
 && if [ -f npmrc ]; then cp npmrc /etc/npmrc; fi \
 && if [ -d ca-certificates ]; then \
      mkdir -p /usr/local/share/ca-certificates/laambda-host \
      && cp ca-certificates/*.crt /usr/local/share/ca-certificates/laambda-host/ \
      && update-ca-certificates; \
    fi
ENV HOME=/tmp NPM_CONFIG_GLOBALCONFIG=/etc/npmrc
CMD ["/bin/bash"]
