# The Laambda server as a container image: `docker compose up` runs it beside PostgreSQL.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY server server
COPY cli cli
COPY migrations migrations
RUN mvn -q -B -pl server -am -DskipTests package

# The runtime relay: every function container's entrypoint, a static binary (Go's standard library only).
FROM golang:1.26 AS relay
WORKDIR /src
COPY runtime-relay .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /runtime-relay .

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/server/target/laambda-server-all.jar /opt/laambda/laambda-server.jar
COPY buildpacks /opt/laambda/buildpacks
COPY --from=relay /runtime-relay /opt/laambda/runtime-relay
ENV LAAMBDA_DATA=/var/lib/laambda
VOLUME /var/lib/laambda
EXPOSE 5000 2222
ENTRYPOINT ["java", "-jar", "/opt/laambda/laambda-server.jar"]
