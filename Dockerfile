# syntax=docker/dockerfile:1
# fecify-gateway: built with the Maven wrapper, run on a Java 25 JRE as a non-root user, with an AOT cache from a
# training run at build time (first answer in about half the time on one core).

FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace
# Dependencies first: this layer is rebuilt only when the POM or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -ntp dependency:go-offline
COPY src src
RUN ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package \
 && cp target/fecify-gateway-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM eclipse-temurin:25-jre
LABEL org.opencontainers.image.title="fecify-gateway" \
      org.opencontainers.image.description="Secure, observable gateway in front of a Fecify store's Skill API" \
      org.opencontainers.image.source="https://github.com/fecify/fecify-gateway" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
# One image layer per Spring Boot jar layer, least often changed first: app.jar plus lib/.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# Container-aware memory: the heap is 40 % of the container's limit. The rest of a replica's memory (AOT cache, code,
# metaspace, threads, the C library's and Netty's buffers: about 250 MiB under load) does not shrink with the limit;
# 75 % left too little of a 512 MiB limit for it. Sized with bench/soak.sh against the 768 Mi limit of
# deploy/k8s/deployment.yaml and docker-compose.yml (README "Sizing").
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
# Training run: start the context once (no traffic, no outside system) and keep the loaded, linked classes, but no
# method profiles: profiles of a start-up without traffic steer the JIT wrong for good (measured under load: ~145 us
# of CPU per update with them, ~100 without; README "Performance").
RUN FECIFY_BASE_URL=http://127.0.0.1:9 FECIFY_ACCESS_TOKEN=training GATEWAY_AUTH=none \
    java -XX:AOTCacheOutput=app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
      -Dspring.context.exit=onRefresh -jar app.jar \
 && chmod 0444 app.aot
USER 10001:10001
EXPOSE 8080 8081
# The JRE base image has no curl or wget: the check uses bash builtins only (a TCP connection through /dev/tcp, the
# status line read back). HealthCheckCommandTests runs this very line with an empty PATH against a live gateway.
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 3 status <&3 && [[ $status == *' 200 '* ]]"]
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
