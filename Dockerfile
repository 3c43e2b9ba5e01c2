# syntax=docker/dockerfile:1
# IIoT Routes image: one image for every mode; the command picks it (server by default, edge, demo).
#   docker build -t iiot-routes:0.1.0 .
#   docker run --rm -p 8080:8080 -e IIOT_WEB_HOST=0.0.0.0 iiot-routes:0.1.0 demo
# Without a Docker engine: mvn -B -Pimage package (Jib, see pom.xml and docs/deployment.md).

# --- build: the runnable jar and its libraries (tests run in CI, not here) ---
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:resolve
COPY src src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# --- runtime: JRE, the jar, and the folders the routes are loaded from ---
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /opt/iiot-routes --shell /usr/sbin/nologin iiot
WORKDIR /opt/iiot-routes
COPY --from=build /src/target/lib lib
COPY --from=build /src/target/iiot-routes.jar iiot-routes.jar
COPY routes routes
COPY edge-routes edge-routes
COPY config config
RUN mkdir data && chown iiot data
USER iiot
# 8080: web page, REST, WebSocket. 1883 / 9000: only the demo's embedded broker and TSDB.
# a container serves other hosts: bind the web port on every interface
ENV IIOT_WEB_HOST=0.0.0.0
# the server's JVM settings with its embedded TSDB (bin/iiot-routes, docs/operations.md#jvm-settings); a container with
# an external TSDB (compose: -Xmx160m) or of another mode sets its own
ENV JAVA_TOOL_OPTIONS="-Xmx384m -XX:+UseSerialGC" MALLOC_ARENA_MAX=2
EXPOSE 8080
VOLUME ["/opt/iiot-routes/data"]
ENTRYPOINT ["java", "-jar", "iiot-routes.jar"]
CMD ["server"]
