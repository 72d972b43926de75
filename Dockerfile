# The ndis4j command line on a JRE 17: by default a virtual switch listening on all interfaces.
#
#   ./mvnw -q -pl tools -am package -DskipTests      # builds tools/target/ndis4j.jar
#   docker build -t ndis4j .                           # or --build-arg BASE_IMAGE=<a local JRE 17 image>
#   docker run --rm --network host ndis4j switch --listen 127.0.0.1:5555
#
# No Maven here: the image takes the jar built beforehand. Works with the classic builder (the one
# Testcontainers' ImageFromDockerfile uses) and with BuildKit. See docs/docker.md.

# Any image with `java` 17 on its PATH and /bin/sh; CI passes ndis4j/jre17-base:bookworm, built
# offline by scripts/docker-ci.sh.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

ARG BASE_IMAGE
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ndis4j" \
      org.opencontainers.image.description="ndis4j tools: the virtual switch and the driver host of the ndis4j miniport development kit" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"

COPY docker/ndis4j /usr/local/bin/ndis4j
# A numeric user of its own (no clash with a base image's uid 1000), with a writable home that is
# also the working directory, for captures and crash reports.
RUN chmod 0755 /usr/local/bin/ndis4j \
    && groupadd --gid 10001 ndis4j \
    && useradd --uid 10001 --gid 10001 --no-log-init --home-dir /var/lib/ndis4j --create-home \
        --shell /usr/sbin/nologin ndis4j

# Last, so a new jar rebuilds only this layer.
COPY tools/target/ndis4j.jar /opt/ndis4j/ndis4j.jar

USER 10001:10001
WORKDIR /var/lib/ndis4j
EXPOSE 5555/tcp

# NDIS4J_CONTROL (HOST:PORT, unset by default: with host networking no port can be fixed here) is
# the control endpoint that the switch or `run` serves (the launcher passes it as --control) and
# that this check asks.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD [ -n "$NDIS4J_CONTROL" ] || { echo "NDIS4J_CONTROL is not set: no control endpoint to ask"; exit 1; }; \
        ndis4j health --control "$NDIS4J_CONTROL" || exit 1

ENTRYPOINT ["ndis4j"]
CMD ["switch", "--listen", "0.0.0.0:5555"]
