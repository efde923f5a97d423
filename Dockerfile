# syntax=docker/dockerfile:1
# login-etl image: the runtime uber-jar (target/login-etl.jar: the pipeline and its operator commands, no demo,
# bench or embedded servers) on a JRE, run as a non-root user.
#   docker build -t login-etl .
#   docker run --rm -e DB_URL=... -e PII_MASKING_KEY=... login-etl
#   docker run --rm -e DB_URL=... -e PII_VAULT_KEY=... login-etl recover MASKED --reason TEXT
# Configuration is by environment variables only (README, "Running against real SQS and PostgreSQL").
# Extra JVM flags: JAVA_TOOL_OPTIONS (the JVM reads it itself), e.g. -e JAVA_TOOL_OPTIONS=-Xss512k.

# --- build: the project's own wrapper and poms; the runtime module alone (runtime.pom.xml), never tools/ ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml runtime.pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
COPY routes/ routes/
COPY application.properties ./
# /root/.m2 is a BuildKit cache mount: Maven and the dependencies are downloaded once, not on every source change.
# Tests are not compiled or run here (-Dmaven.test.skip): they run in CI (./mvnw verify).
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -f runtime.pom.xml -Dmaven.test.skip=true package \
 && test -f target/login-etl.jar

# --- runtime: JRE only, no Maven, no sources ---
FROM eclipse-temurin:17-jre
# a fixed numeric uid/gid, so Kubernetes' runAsNonRoot can check it without a passwd lookup
RUN groupadd --system --gid 10001 loginetl \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin loginetl
WORKDIR /app
# owned by root and read-only for the app: the user can read the jar, routes and settings but not change them.
# routes/ and application.properties are the defaults; mount a volume (compose) or a ConfigMap (k8s) over them
COPY --from=build /src/target/login-etl.jar ./login-etl.jar
COPY routes/ ./routes/
COPY application.properties ./
USER 10001:10001
# Camel's management server: /observe/health, /observe/health/live, /observe/health/ready, /observe/metrics
EXPOSE 8080
# exec form: java is PID 1 and receives SIGTERM itself (drain in-flight batches, exit 0 within 30 s).
# MaxRAMPercentage sizes the heap from the container's memory limit, leaving a quarter for metaspace,
# threads and direct buffers; on OutOfMemoryError exit so the orchestrator restarts the container.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "login-etl.jar"]
# arguments after the image name replace this (recover, forget, rekey, --help); none runs the pipeline
CMD []
