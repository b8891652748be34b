# syntax=docker/dockerfile:1
# fecify-gateway: built with the Maven wrapper, run on a JRE as a non-root user.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
# Dependencies first: this layer is rebuilt only when the POM or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/fecify-gateway-*.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:21-jre
LABEL org.opencontainers.image.title="fecify-gateway" \
      org.opencontainers.image.description="Secure, observable gateway in front of a Fecify store's Skill API" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
# One layer per Spring Boot jar layer, least often changed first.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
USER 10001:10001
EXPOSE 8080 8081
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8081/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
