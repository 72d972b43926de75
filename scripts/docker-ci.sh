#!/usr/bin/env bash
# Provisions a Docker engine on a Debian machine that has none running and reaches no image
# registry, only Debian's package mirror (the ndis4j CI machine: a container itself, run as root).
#
#   scripts/docker-ci.sh start        install docker.io + debootstrap if absent, start dockerd,
#                                     build the local JRE 17 base image if absent, then print
#                                     `export` lines for eval (everything else goes to stderr)
#   scripts/docker-ci.sh stop         stop the dockerd this script started (and only that one)
#   scripts/docker-ci.sh status       what runs, what is cached
#   scripts/docker-ci.sh env          print the `export` lines again
#   scripts/docker-ci.sh image [TAG]  docker build the root Dockerfile on the local base image
#                                     (needs tools/target/ndis4j.jar; TAG defaults to ndis4j:dev)
#   scripts/docker-ci.sh rebuild-base drop the cached rootfs and base image, build them again
#
# Typical use (the assignment keeps start's exit status, which `eval "$(…)"` would lose):
#   docker_env=$(scripts/docker-ci.sh start); eval "$docker_env"; trap 'scripts/docker-ci.sh stop' EXIT
# See docs/docker.md for what each step does, the variables and measured times.
set -euo pipefail

readonly SUITE=bookworm
readonly BASE_IMAGE=ndis4j/jre17-base:bookworm
readonly SOCKET=/var/run/docker.sock
# dockerd's own managed containerd writes its pid here (exec-root /var/run/docker).
readonly CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
readonly START_TIMEOUT_S=${NDIS4J_DOCKER_START_TIMEOUT:-60}
readonly STOP_TIMEOUT_S=40

STATE_DIR=${NDIS4J_DOCKER_STATE_DIR:-/var/lib/ndis4j-docker}
readonly STATE_DIR
readonly PIDFILE=$STATE_DIR/dockerd.pid
readonly LOG=$STATE_DIR/dockerd.log
readonly ENV_FILE=$STATE_DIR/env
readonly DRIVER_FILE=$STATE_DIR/storage-driver
readonly DEB_CACHE=$STATE_DIR/cache/debs
readonly ROOTFS_TAR=$STATE_DIR/cache/$SUITE-jre17-rootfs.tar
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT

log() { printf 'docker-ci: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

now_us() { local t=$EPOCHREALTIME; echo "${t//[.,]/}"; }
# took NAME START_US: one line with the step's wall time.
took() {
    local ms=$((($(now_us) - $2) / 1000))
    log "$(printf 'took %5d.%01d s  %s' $((ms / 1000)) $((ms % 1000 / 100)) "$1")"
}

# Bounded, so a wedged engine fails the step instead of hanging CI (an import takes about 10 s).
docker_cli() { timeout 300 docker -H "unix://$SOCKET" "$@"; }
engine_answers() { timeout 5 docker -H "unix://$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
# A live dockerd: a killed one stays a zombie until this machine's init reaps it.
is_dockerd() {
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ] \
        && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# The pid of the dockerd this script started, if it still runs.
our_dockerd() {
    local pid
    [ -s "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    is_dockerd "$pid" || return 1
    echo "$pid"
}

# One start/stop/rebuild at a time on this machine.
lock_state_dir() {
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    flock -w 600 9 || die "another scripts/docker-ci.sh has held $STATE_DIR/lock for 10 minutes"
}

require_root() { [ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts dockerd)"; }

# --- packages ---------------------------------------------------------------------------------

ensure_packages() {
    local need=() attempt
    command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
    if [ ${#need[@]} -eq 0 ]; then
        log "packages: dockerd and debootstrap already installed"
        return
    fi
    log "packages: installing ${need[*]} from Debian (log: $STATE_DIR/apt.log)"
    # docker.io's postinst would start a stock dockerd (bridge, iptables): keep services down.
    local guard=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        guard=/usr/sbin/policy-rc.d
    fi
    local installed=no
    for attempt in 1 2 3; do
        if apt-get -o DPkg::Lock::Timeout=300 update -qq >"$STATE_DIR/apt.log" 2>&1 \
            && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
                --no-install-recommends "${need[@]}" >>"$STATE_DIR/apt.log" 2>&1; then
            installed=yes
            break
        fi
        log "apt-get failed (attempt $attempt of 3); retrying in $((attempt * 10)) s"
        sleep $((attempt * 10))
    done
    [ -z "$guard" ] || rm -f "$guard"
    if [ "$installed" != yes ]; then
        tail -n 20 "$STATE_DIR/apt.log" >&2 || true
        die "could not install ${need[*]} with apt-get after 3 attempts"
    fi
    command -v dockerd >/dev/null 2>&1 || die "docker.io installed but no dockerd on PATH"
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap installed but not on PATH"
}

# --- dockerd ----------------------------------------------------------------------------------

# Waits until the engine answers (0), dockerd PID exits (1) or the deadline passes (2).
wait_for_engine() {
    local pid=$1 deadline=$(($(date +%s) + START_TIMEOUT_S))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        engine_answers && return 0
        is_dockerd "$pid" || return 1
        sleep 0.2
    done
    return 2
}

# overlay2, else vfs (slow and large, but works on any file system, e.g. when /var/lib/docker is
# itself on overlayfs). The driver that worked last comes first: the image store is per driver, so
# sticking to it keeps the cached base image. NDIS4J_DOCKER_STORAGE_DRIVER: drivers to try, in order.
storage_driver_candidates() {
    if [ -n "${NDIS4J_DOCKER_STORAGE_DRIVER:-}" ]; then
        echo "$NDIS4J_DOCKER_STORAGE_DRIVER"
        return
    fi
    case $(cat "$DRIVER_FILE" 2>/dev/null || true) in
        vfs) echo vfs overlay2 ;;
        *) echo overlay2 vfs ;;
    esac
}

ensure_dockerd() {
    local pid driver rc
    if pid=$(our_dockerd); then
        wait_for_engine "$pid" || die "dockerd (pid $pid, started by this script) does not answer; see $LOG"
        log "dockerd: already running (pid $pid, storage driver $(cat "$DRIVER_FILE" 2>/dev/null), started by this script)"
        return
    fi
    if engine_answers; then
        log "dockerd: an engine not started by this script answers at $SOCKET; using it (stop leaves it alone)"
        return
    fi
    for driver in $(storage_driver_candidates); do
        log "dockerd: starting with storage driver $driver (log: $LOG)"
        printf '\n===== %s docker-ci.sh start: storage driver %s =====\n' "$(date -Is)" "$driver" >>"$LOG"
        # No bridge, no iptables, no forwarding: containers use host networking (loopback only),
        # and the machine's network settings stay as they were. Fd 9 (the lock) stays here.
        setsid dockerd \
            --host="unix://$SOCKET" \
            --pidfile="$PIDFILE" \
            --bridge=none \
            --iptables=false \
            --ip-forward=false \
            --storage-driver="$driver" \
            --shutdown-timeout=10 \
            </dev/null >>"$LOG" 2>&1 9>&- &
        pid=$!
        rc=0
        wait_for_engine "$pid" || rc=$?
        case $rc in
            0)
                echo "$driver" >"$DRIVER_FILE"
                log "dockerd: running (pid $pid, storage driver $driver, engine $(docker_cli version --format '{{.Server.Version}}, API {{.Server.APIVersion}}'))"
                return
                ;;
            1)
                log "dockerd: exited at start with storage driver $driver:"
                tail -n 3 "$LOG" | sed 's/^/    /' >&2
                ;;
            2)
                kill -TERM "$pid" 2>/dev/null || true
                die "dockerd (pid $pid) did not answer within ${START_TIMEOUT_S} s; stopped it; see $LOG"
                ;;
        esac
    done
    die "dockerd would not start with any storage driver ($(storage_driver_candidates)); see $LOG"
}

stop_dockerd() {
    local pid containerd="" deadline
    if ! pid=$(our_dockerd); then
        log "stop: no dockerd started by this script is running"
        engine_answers && log "stop: an engine not started by this script answers at $SOCKET; left alone"
        return 0
    fi
    if [ -s "$CONTAINERD_PIDFILE" ]; then
        containerd=$(cat "$CONTAINERD_PIDFILE")
        # Only dockerd's own child, never a system containerd.
        [ "$(awk '/^PPid:/ {print $2}' "/proc/$containerd/status" 2>/dev/null)" = "$pid" ] || containerd=""
    fi
    log "stop: stopping dockerd (pid $pid${containerd:+, its containerd pid $containerd})"
    kill -TERM "$pid"
    deadline=$(($(date +%s) + STOP_TIMEOUT_S))
    while is_dockerd "$pid" || { [ -n "$containerd" ] && [ -e "/proc/$containerd" ]; }; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "stop: dockerd did not stop within ${STOP_TIMEOUT_S} s; killing it (see $LOG)"
            kill -KILL "$pid" 2>/dev/null || true
            [ -z "$containerd" ] || kill -KILL "$containerd" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$PIDFILE"
    is_dockerd "$pid" && die "stop: dockerd (pid $pid) is still running"
    # dockerd leaves its default network namespace and the bind mount of its data root mounted.
    awk '$2 ~ "^/run/docker/" || $2 == "/var/lib/docker" || $2 ~ "^/var/lib/docker/" {print $2}' /proc/mounts \
        | sort -r | while read -r mount; do
            if umount "$mount"; then log "stop: unmounted $mount"; else log "stop: could not unmount $mount"; fi
        done
    log "stop: dockerd stopped"
}

# --- base image -------------------------------------------------------------------------------

# The Debian mirror the machine's apt uses for $SUITE: one-line sources.list entries and deb822
# .sources stanzas. NDIS4J_DEBIAN_MIRROR overrides it.
debian_mirror() {
    if [ -n "${NDIS4J_DEBIAN_MIRROR:-}" ]; then
        echo "$NDIS4J_DEBIAN_MIRROR"
        return
    fi
    local files=() f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] && files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || die "no apt sources found; set NDIS4J_DEBIAN_MIRROR"
    awk -v suite="$SUITE" '
        function flush() {
            if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " ") && uris != "") {
                split(uris, u, " "); print u[1]; found = 1; exit
            }
            types = suites = uris = ""; enabled = "yes"
        }
        FILENAME ~ /\.list$/ {
            if ($1 != "deb") next
            i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
            if ($(i + 1) == suite) { print $i; found = 1; exit }
            next
        }
        FNR == 1 { flush() }
        /^[ \t]*$/ { flush(); next }
        /^#/ { next }
        tolower($1) == "types:"   { $1 = ""; types = $0 }
        tolower($1) == "suites:"  { $1 = ""; suites = $0 }
        tolower($1) == "uris:"    { $1 = ""; uris = $0 }
        tolower($1) == "enabled:" { enabled = tolower($2) }
        END { if (!found) flush() }
    ' "${files[@]}" | sed 's/^ *//' | head -n 1 | grep . \
        || die "no Debian mirror for $SUITE in the apt sources; set NDIS4J_DEBIAN_MIRROR"
}

ROOTFS=""
cleanup_rootfs() {
    [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ] || return 0
    # debootstrap mounts /proc and /sys inside the target; never rm -rf through a mount.
    awk -v r="$ROOTFS/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
        umount -l "$m" || true
    done
    if awk -v r="$ROOTFS/" 'index($2, r) == 1 {found = 1} END {exit !found}' /proc/mounts; then
        log "leaving $ROOTFS in place: something is still mounted under it"
    else
        rm -rf "$ROOTFS"
    fi
    ROOTFS=""
}

build_rootfs_tar() {
    local mirror t0 stale
    mirror=$(debian_mirror)
    mkdir -p "$DEB_CACHE" "$(dirname "$ROOTFS_TAR")"
    for stale in "$STATE_DIR"/rootfs.*; do # left by a run that was killed
        [ -d "$stale" ] || continue
        ROOTFS=$stale
        cleanup_rootfs
    done
    ROOTFS=$(mktemp -d "$STATE_DIR/rootfs.XXXXXX")
    trap cleanup_rootfs EXIT
    log "base image: debootstrap --variant=minbase --include=openjdk-17-jre-headless $SUITE from $mirror (log: $STATE_DIR/debootstrap.log)"
    t0=$(now_us)
    debootstrap --variant=minbase --include=openjdk-17-jre-headless --cache-dir="$DEB_CACHE" \
        "$SUITE" "$ROOTFS" "$mirror" >"$STATE_DIR/debootstrap.log" 2>&1 || {
        tail -n 20 "$STATE_DIR/debootstrap.log" >&2
        die "debootstrap failed (see $STATE_DIR/debootstrap.log)"
    }
    took "debootstrap" "$t0"
    [ -x "$ROOTFS/usr/bin/java" ] || die "debootstrap finished without /usr/bin/java in the rootfs"
    t0=$(now_us)
    # Small image: no package caches or lists (apt-get update restores the lists), no manuals,
    # no message translations (LANG=C.UTF-8); the copyright files stay.
    find "$ROOTFS/usr/share/locale" -name '*.mo' -delete
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin \
        "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* \
        "$ROOTFS"/usr/share/man "$ROOTFS"/usr/share/info
    find "$ROOTFS/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
    tar -C "$ROOTFS" --numeric-owner -cf "$ROOTFS_TAR.part" .
    mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
    cleanup_rootfs
    trap - EXIT
    took "trim + tar ($(du -h "$ROOTFS_TAR" | cut -f1))" "$t0"
}

ensure_base_image() {
    local t0 java_home version
    if docker_cli image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "base image: $BASE_IMAGE present"
        return
    fi
    if [ -s "$ROOTFS_TAR" ]; then
        log "base image: importing the cached rootfs $ROOTFS_TAR"
    else
        build_rootfs_tar
    fi
    t0=$(now_us)
    java_home=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
    docker_cli import \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV LANG=C.UTF-8" \
        --change "ENV JAVA_HOME=$java_home" \
        --change 'CMD ["bash"]' \
        --message "debootstrap --variant=minbase --include=openjdk-17-jre-headless $SUITE (scripts/docker-ci.sh)" \
        "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
    took "docker import" "$t0"
    version=$(docker_cli run --rm --network none "$BASE_IMAGE" java -version 2>&1) || true
    case $version in
        *'version "17.'*) ;;
        *) die "$BASE_IMAGE does not run java 17: $version" ;;
    esac
    log "base image: $BASE_IMAGE built, $(image_size "$BASE_IMAGE"), java 17 runs in it"
}

image_size() { docker_cli image inspect -f '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1 / 1e6}'; }

# --- environment ------------------------------------------------------------------------------

# Ryuk would be pulled from a registry; the host override stops Testcontainers from pulling alpine
# to find a gateway (this machine is itself a container).
env_lines() {
    cat <<EOF
DOCKER_HOST=unix://$SOCKET
TESTCONTAINERS_RYUK_DISABLED=true
TESTCONTAINERS_HOST_OVERRIDE=localhost
NDIS4J_BASE_IMAGE=$BASE_IMAGE
EOF
}

print_env() { env_lines | sed 's/^/export /'; }

# --- commands ---------------------------------------------------------------------------------

cmd_start() {
    require_root
    lock_state_dir
    local t_all t0
    t_all=$(now_us)
    t0=$(now_us)
    ensure_packages
    took "packages" "$t0"
    t0=$(now_us)
    ensure_dockerd
    took "dockerd" "$t0"
    t0=$(now_us)
    ensure_base_image
    took "base image" "$t0"
    env_lines >"$ENV_FILE"
    took "start (total)" "$t_all"
    log "environment (also in $ENV_FILE, KEY=VALUE lines):"
    env_lines | sed 's/^/    /' >&2
    print_env
}

cmd_stop() {
    require_root
    lock_state_dir
    local t0
    t0=$(now_us)
    stop_dockerd
    took "stop" "$t0"
}

cmd_status() {
    local pid
    if pid=$(our_dockerd); then
        log "dockerd: running, pid $pid, started by this script, storage driver $(cat "$DRIVER_FILE" 2>/dev/null)"
    elif engine_answers; then
        log "dockerd: an engine not started by this script answers at $SOCKET"
    else
        log "dockerd: not running"
    fi
    if engine_answers && docker_cli image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "base image: $BASE_IMAGE present, $(image_size "$BASE_IMAGE")"
    fi
    if [ -s "$ROOTFS_TAR" ]; then
        log "cached rootfs: $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
    else
        log "cached rootfs: none"
    fi
    engine_answers
}

cmd_image() {
    local tag=${1:-ndis4j:dev} t0 revision
    [ -s "$REPO_ROOT/tools/target/ndis4j.jar" ] \
        || die "no tools/target/ndis4j.jar: build it first (./mvnw -q -pl tools -am package -DskipTests)"
    engine_answers || die "no Docker engine answers at $SOCKET: run scripts/docker-ci.sh start first"
    revision=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
    t0=$(now_us)
    # The classic builder, as Testcontainers' ImageFromDockerfile uses it.
    DOCKER_BUILDKIT=0 docker -H "unix://$SOCKET" build --quiet \
        --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg REVISION="$revision" \
        --tag "$tag" "$REPO_ROOT" >/dev/null
    took "docker build $tag" "$t0"
    log "image: $tag, $(image_size "$tag")"
}

cmd_rebuild_base() {
    require_root
    lock_state_dir
    engine_answers || die "no Docker engine answers at $SOCKET: run scripts/docker-ci.sh start first"
    rm -f "$ROOTFS_TAR"
    docker_cli image rm "$BASE_IMAGE" >/dev/null 2>&1 || true
    local t0
    t0=$(now_us)
    ensure_base_image
    took "base image" "$t0"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) print_env ;;
    image) cmd_image "${2:-}" ;;
    rebuild-base) cmd_rebuild_base ;;
    *)
        sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
