# syntax=docker/dockerfile:1
# The image of any one service, built from the repository root with the module's name as a build argument:
#   docker build --build-arg SERVICE=gateway -t ms-gateway:1.0.0 .      (scripts/build-images.sh builds all five)
# SERVICE is one of gateway, auth-service, product-service, order-service, or loadgen (the load generator,
# kubernetes/components/loadgen).
# product-service's canary releases (docs/canary.md) are the same build with settings baked in, as stages 3 and 4:
#   docker build --build-arg SERVICE=product-service --target product-service-v2 -t ms-product-service:2.0.0 .
#   docker build --build-arg SERVICE=product-service --target product-service-v2-bad -t ms-product-service:2.0.0-bad .
# (scripts/build-images.sh: VARIANT=v2, VARIANT=v2-bad). Without --target the last stage, the plain image, is built.

# 1. Build the jar and its libraries with the project's own Maven wrapper, only the modules needed.
FROM eclipse-temurin:25-jdk AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "error: build with --build-arg SERVICE=<module>, e.g. SERVICE=gateway" >&2; exit 1; }
WORKDIR /src
# the whole tree (see .dockerignore): Maven reads every module's pom even when building one
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl "$SERVICE" -am package -DskipTests

# 2. The image: a JRE 25, the jar, its libraries and an AOT cache; a non-root user; nothing else.
FROM eclipse-temurin:25-jre AS image
ARG SERVICE
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/${SERVICE}.jar app.jar
COPY --from=build /src/${SERVICE}/target/libs libs
# the JVM settings the service was measured with (docs/performance.md)
COPY --from=build /src/${SERVICE}/jvm.options jvm.options
# AOT cache (JDK 25, JEP 514/515) from a training run that starts the service on a throw-away H2 file (an
# in-memory database is refused: it cannot keep an acknowledged write) and stops it: classes are then loaded
# and linked ahead of time and the service is ready sooner. order-service does not start without a client
# secret; this one exists only for the training run and is gone with it.
# loadgen serves nothing and needs a gateway to do anything, so its training run only prints its usage.
SHELL ["/bin/bash", "-c"]
RUN if [[ "$SERVICE" == loadgen ]]; then java @jvm.options -XX:AOTCacheOutput=app.aot -jar app.jar --help >/dev/null; \
    else \
      java @jvm.options -XX:AOTCacheOutput=app.aot -Dserver.port=8080 -Ddb.url="jdbc:h2:file:/tmp/training/db" \
           -Dorder.service.client.secret=training-only -jar app.jar & pid=$!; \
      for i in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break; sleep 0.5; done; \
      kill -TERM $pid; wait $pid; rm -rf /tmp/training; \
    fi; test -s app.aot
USER 10001:10001
ENV SERVER_PORT=8080
# fewer glibc malloc arenas: less resident memory for a process with few platform threads
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
# exec form: the JVM is PID 1 and receives SIGTERM for a graceful shutdown
ENTRYPOINT ["java", "@jvm.options", "-XX:AOTCache=app.aot", "-jar", "app.jar"]

# 3. product-service v2, the canary: products carry "availability" (product-service/src/main/resources/application.yaml).
# Environment, not a -D option, so a Deployment can still override it.
FROM image AS product-service-v2
ARG SERVICE
RUN test "$SERVICE" = product-service || { echo "error: the v2 stages are product-service's only" >&2; exit 1; }
ENV PRODUCT_AVAILABILITY=true

# 4. A deliberately bad v2, to watch a canary analysis roll it back: 20% of /api/products requests fail with 503 and
# every one takes 600 ms more, well past the gates of a 99% success rate and a 500 ms p99 (docs/canary.md).
# /internal/reservations, health, metrics and OpenAPI are never affected.
FROM product-service-v2 AS product-service-v2-bad
ENV RELEASE_FAULT_ERROR_PERCENT=20 RELEASE_FAULT_DELAY=PT0.6S

# 5. The default target: the plain image of stage 2.
FROM image
