# Stand-in for public.ecr.aws/lambda/java:21: a headless JRE 21 and AWS's runtime interface client
# (com.amazonaws:aws-lambda-java-runtime-interface-client from Maven, unmodified) with its runtime
# dependencies in /var/runtime/lib.
ARG BUILD_IMAGE=public.ecr.aws/sam/build-java21:latest
ARG BASE_IMAGE=laambda/stack-run:trixie

# Maven reads its repository settings from the build image (the host's settings.xml, if any); this
# stage's layers are not part of the run image. The client's JNI library is unpacked here so it loads
# from /var/runtime/lib: by default the client copies it to /tmp, and a tmpfs /tmp is mounted noexec.
FROM ${BUILD_IMAGE} AS fetch
ARG MAVEN_OPTS
ARG MAVEN_ARGS
COPY pom.xml /tmp/runtime-client/pom.xml
RUN mvn -B -q -f /tmp/runtime-client/pom.xml dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=/var/runtime/lib \
 && case "$(uname -m)" in x86_64) arch=x86_64 ;; aarch64) arch=aarch_64 ;; *) arch="$(uname -m)" ;; esac \
 && cd /var/runtime/lib \
 && unzip -p aws-lambda-java-runtime-interface-client-*.jar "jni/libaws-lambda-jni.linux-$arch.so" >libaws-lambda-jni.so \
 && test -s libaws-lambda-jni.so

FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-21-jre-headless \
 && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /var/runtime/lib/ /var/runtime/lib/
COPY bootstrap /var/runtime/bootstrap
