# One image for every qastream service; the compose file picks the main class per container:
#   dev.qastream.ingest.IngestService, dev.qastream.generation.GenerationService,
#   dev.qastream.scoring.ScoringService, dev.qastream.sink.SinkService
# (or dev.qastream.launcher.Main for the CLI). Configuration comes from QASTREAM_* environment variables.
#   docker build -t qastream .

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# Tests run in CI, not in the image build; the Maven cache survives rebuilds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q --no-transfer-progress -Dmaven.test.skip=true package \
 && mkdir -p /out/lib \
 && cp launcher/target/launcher-*.jar launcher/target/lib/*.jar /out/lib/

FROM eclipse-temurin:21-jre
# /data holds the inbox, the output and Kafka Streams state; containers may run as any user (compose
# sets the host user for the bind-mounted inbox and out folders), so it is writable by all.
RUN mkdir -p /data/inbox /data/out /data/state && chmod -R 1777 /data
COPY --from=build /out/lib/ /app/lib/
WORKDIR /data
ENV QASTREAM_HTTP_HOST=0.0.0.0 \
    QASTREAM_HTTP_PORT=9400 \
    QASTREAM_INBOX=/data/inbox \
    QASTREAM_OUT=/data/out \
    QASTREAM_DATA_DIR=/data/state
EXPOSE 9400
USER 10001
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*"]
CMD ["dev.qastream.launcher.Main", "--help"]
