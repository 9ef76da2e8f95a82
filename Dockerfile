# The Laambda server as a container image: `docker compose up` runs it beside PostgreSQL.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY server server
COPY cli cli
COPY migrations migrations
RUN mvn -q -B -pl server -am -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/server/target/laambda-server-all.jar /opt/laambda/laambda-server.jar
COPY buildpacks /opt/laambda/buildpacks
ENV LAAMBDA_DATA=/var/lib/laambda
VOLUME /var/lib/laambda
EXPOSE 5000 2222
ENTRYPOINT ["java", "-jar", "/opt/laambda/laambda-server.jar"]
