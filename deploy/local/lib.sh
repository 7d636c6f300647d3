# shellcheck shell=bash
# Shared helpers for deploy/local/*.sh. Source it, don't run it.
#
# Everything here writes progress to stderr, so that the callers' stdout can
# carry machine-readable output only (see up.sh). It relies on bash, coreutils
# and /proc only: no ps/pgrep/ss/curl, which a fresh Debian 12 may not have.

# --- locations ----------------------------------------------------------------

LOCAL_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_SCRIPTS_DIR/../.." && pwd)"

# All state (downloads, data, logs, pid files) lives under GTWATCH_LOCAL_DIR,
# <repo>/.local by default (git-ignored). Made absolute so that it can be
# recognised in process command lines (see local_pids_matching).
GTWATCH_LOCAL_DIR="${GTWATCH_LOCAL_DIR:-$REPO_ROOT/.local}"
mkdir -p "$GTWATCH_LOCAL_DIR"
GTWATCH_LOCAL_DIR="$(cd "$GTWATCH_LOCAL_DIR" && pwd -P)"
export GTWATCH_LOCAL_DIR

# --- messages -----------------------------------------------------------------

# Callers name themselves: `source lib.sh PREFIX`. The word is required: a
# file sourced without arguments sees the caller's own ("start", "stop").
LOG_PREFIX="${1:-local}"

log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$LOG_PREFIX" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$LOG_PREFIX" "$*" >&2
  exit 1
}

# usage: the script's header comment (line 2 up to 'set -euo'), then exit 2.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# require_cmd CMD HINT: fail clearly when CMD is not on PATH.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH: $2"
}

# require_port VAR VALUE: VALUE must be a TCP port number.
require_port() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
    die "$1='$2' is not a valid TCP port"
  fi
}

# require_distinct_ports VAR...: each VAR holds a TCP port, no two the same
# (one server's listeners).
require_distinct_ports() {
  local var seen=" "
  for var in "$@"; do
    require_port "$var" "${!var}"
    [[ "$seen" != *" ${!var} "* ]] || die "$(printf '%s and ' "${@:1:$#-1}")${*: -1} must differ (${!var} is given twice)"
    seen+="${!var} "
  done
}

# require_uint VAR VALUE
require_uint() {
  [[ "$2" =~ ^[0-9]+$ ]] || die "$1='$2' is not a whole number"
}

# log_tail FILE [N] [FROM_BYTE]: show the last N (40) lines of FILE on stderr,
# only of what was written after byte offset FROM_BYTE (default 0) if given.
log_tail() {
  local file="$1" n="${2:-40}" from="${3:-0}" size
  size="$(stat -c %s "$file" 2>/dev/null || echo 0)"
  ((size >= from)) || from=0 # rotated meanwhile
  if ((size > from)); then
    printf '[%s] ---- last %s lines of %s ----\n' "$LOG_PREFIX" "$n" "$file" >&2
    tail -c "+$((from + 1))" "$file" | tail -n "$n" >&2 || true
    printf '[%s] ---- end of %s ----\n' "$LOG_PREFIX" "$file" >&2
  else
    printf '[%s] (nothing new in %s)\n' "$LOG_PREFIX" "$file" >&2
  fi
}

# take_lock LOCKFILE: serialise start/stop of one service (fd 9, held until
# the script exits; start_daemon closes it for the server).
take_lock() {
  require_cmd flock "util-linux is needed"
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  flock -w 600 9 || die "timed out waiting for the lock $1 (another start/stop still running?)"
}

# --- processes ----------------------------------------------------------------

# proc_cmdline PID: the command line of PID, NULs turned into spaces.
proc_cmdline() {
  local c
  c="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  printf '%s' "$c"
}

# pid_is_ours PID MARKER: PID is alive (not a zombie) and its command line
# contains MARKER. Guards against a stale pid file whose pid was reused.
pid_is_ours() {
  local pid="$1" marker="$2" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/stat" ]] || return 1
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$state" != Z && "$state" != X ]] || return 1
  [[ "$(proc_cmdline "$pid")" == *"$marker"* ]]
}

# read_pid PIDFILE: print the pid stored in PIDFILE (nothing if none).
read_pid() {
  [[ -f "$1" ]] || return 0
  local pid
  pid="$(head -n1 "$1" 2>/dev/null | tr -cd '0-9')"
  printf '%s' "$pid"
}

# running_pid PIDFILE MARKER: print the pid if the service runs, else fail.
running_pid() {
  local pid
  pid="$(read_pid "$1")"
  [[ -n "$pid" ]] && pid_is_ours "$pid" "$2" || return 1
  printf '%s' "$pid"
}

# start_daemon PIDFILE OUTFILE CMD...: run CMD in the background in its own
# session (immune to the caller's Ctrl-C/hang-up and to the caller's process
# group being killed), stdin from /dev/null, stdout+stderr appended to OUTFILE.
# The pid written to PIDFILE is the pid of CMD itself (bash execs into it).
# Every other inherited descriptor is closed: a server holding a caller's pipe
# would make e.g. "$(up.sh)" or a test runner wait for it forever.
start_daemon() {
  local pidfile="$1" outfile="$2"
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$, $0 and $@ are expanded by the inner bash
  setsid bash -c '
    for fd in /proc/$$/fd/*; do
      fd="${fd##*/}"
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    echo $$ >"$0"
    exec "$@"' "$pidfile" "$@" </dev/null >>"$outfile" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start '$1' (no pid file $pidfile after 5 s)"
}

# stop_pid NAME PIDFILE MARKER [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name="$1" pidfile="$2" marker="$3" grace="${4:-20}" pid i
  pid="$(read_pid "$pidfile")"
  if [[ -z "$pid" ]] || ! pid_is_ours "$pid" "$marker"; then
    if [[ -f "$pidfile" ]]; then
      log "$name is not running (removing stale pid file $pidfile)"
    else
      log "$name is not running"
    fi
    rm -f "$pidfile"
    return 0
  fi
  log "stopping $name (pid $pid, SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 5; i++)); do
    pid_is_ours "$pid" "$marker" || break
    sleep 0.2
  done
  if pid_is_ours "$pid" "$marker"; then
    warn "$name (pid $pid) still alive after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_is_ours "$pid" "$marker" || break
      sleep 0.1
    done
    pid_is_ours "$pid" "$marker" && die "$name (pid $pid) survived SIGKILL"
  fi
  rm -f "$pidfile"
  # The server was re-parented to init, which reaps it; wait briefly for that
  # so that no <defunct> entry is left in ps when we return.
  for ((i = 0; i < 50; i++)); do
    [[ -e "/proc/$pid" ]] || break
    sleep 0.1
  done
  log "$name stopped"
}

# local_pids_matching EXE_REGEX MARKER: pids whose executable basename matches
# EXE_REGEX and whose command line contains MARKER (a directory under
# GTWATCH_LOCAL_DIR). Used to find strays that a pid file no longer knows.
local_pids_matching() {
  local exe_re="$1" marker="$2" d pid exe
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    [[ "${exe##*/}" =~ $exe_re ]] || continue
    pid_is_ours "$pid" "$marker" && printf '%s\n' "$pid"
  done
  return 0
}

# --- ports of a running server ----------------------------------------------

# save_ports FILE VAR...: record the ports (VAR=value lines) a server starts with.
save_ports() {
  local file="$1" var
  shift
  for var in "$@"; do printf '%s=%s\n' "$var" "${!var}"; done >"$file"
}

# saved_port FILE VAR: the recorded value of VAR (empty if unknown).
saved_port() {
  [[ -f "$1" ]] || return 0
  sed -n "s/^$2=//p" "$1" | head -n1
}

# require_same_ports NAME FILE VAR...: a server that already runs must use the
# ports asked for now; otherwise fail at once instead of probing a wrong port.
require_same_ports() {
  local name="$1" file="$2" var have
  shift 2
  for var in "$@"; do
    have="$(saved_port "$file" "$var")"
    if [[ -n "$have" && "$have" != "${!var}" ]]; then
      die "$name is already running with $var=$have, but $var=${!var} was asked for; stop it first ('$0 stop') to change ports"
    fi
  done
}

# --- network ------------------------------------------------------------------

# tcp_open HOST PORT: something accepts connections on HOST:PORT.
tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# port_owner_hint PORT: best-effort description of who listens on PORT.
port_owner_hint() {
  local port="$1" out=""
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -nE 's/.*users:\(\((.*)\)\).*/\1/p' | head -n1)"
  fi
  [[ -n "$out" ]] && printf ' (held by %s)' "$out"
  return 0
}

# require_port_free NAME VAR PORT: fail clearly if 127.0.0.1:PORT is taken.
require_port_free() {
  local name="$1" var="$2" port="$3"
  if tcp_open 127.0.0.1 "$port"; then
    die "cannot start $name: port 127.0.0.1:$port ($var) is already in use$(port_owner_hint "$port"). Stop whatever holds it, or pick another port with $var=..."
  fi
}

# http_get URL_PATH PORT [MAX_SECONDS]: GET http://127.0.0.1:PORT/URL_PATH with
# bash's /dev/tcp (no curl needed); prints the body, fails unless HTTP 200.
http_get() {
  local path="$1" port="$2" max="${3:-10}"
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout "$max" bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n" "$0" "$1" >&3
    IFS= read -r status <&3 || exit 1
    [[ "$status" =~ ^HTTP/1\.[01]\ 200 ]] || exit 1
    while IFS= read -r line <&3; do ((${#line} <= 1)) && break; done
    cat <&3
  ' "$path" "$port" 2>/dev/null
}

# Set to 0 when waiting for a server that was already running (not ours to stop).
WAIT_READY_STOP_ON_TIMEOUT=1

# wait_ready NAME PIDFILE MARKER LOGFILES TIMEOUT PROBE_FUNCTION [ARGS...]:
# call the probe every second until it succeeds. LOGFILES is one path, or
# several separated by newlines (main log first). Fails fast (showing the logs)
# if the server process dies; after TIMEOUT seconds shows the logs, stops the
# server and fails.
wait_ready() {
  local name="$1" pidfile="$2" marker="$3" logfiles="$4" timeout_s="$5"
  shift 5
  local start=$SECONDS pid
  pid="$(read_pid "$pidfile")"
  while :; do
    if ! pid_is_ours "$pid" "$marker"; then
      show_logs "$logfiles"
      rm -f "$pidfile"
      die "$name exited during startup (pid $pid); logs above and in ${logfiles%%$'\n'*}"
    fi
    if "$@"; then
      log "$name is ready after $((SECONDS - start)) s (pid $pid)"
      return 0
    fi
    if ((SECONDS - start >= timeout_s)); then
      show_logs "$logfiles"
      if ((WAIT_READY_STOP_ON_TIMEOUT)); then
        # Don't leave a half-started server behind: a later 'start' would take
        # the live pid for a working server.
        stop_pid "$name" "$pidfile" "$marker" 10 || true
        die "$name did not become ready within ${timeout_s}s (it was stopped again); logs above and in ${logfiles%%$'\n'*}"
      fi
      die "$name (pid $pid) does not answer within ${timeout_s}s; logs above and in ${logfiles%%$'\n'*}. Restart it: '$0 stop' then '$0 start'"
    fi
    sleep 1
  done
}

# mark_log FILE: remember FILE's size, so that startup failures show only the
# lines this run wrote (see show_logs).
LOG_START_OFFSET=0
mark_log() {
  LOG_START_OFFSET="$(stat -c %s "$1" 2>/dev/null || echo 0)"
}

# show_logs LOGFILES: 40 lines of the first (from LOG_START_OFFSET on), 15 of
# each other non-empty one.
show_logs() {
  local first=1 f
  while IFS= read -r f; do
    [[ -n "$f" ]] || continue
    if ((first)); then
      log_tail "$f" 40 "$LOG_START_OFFSET"
      first=0
    elif [[ -s "$f" ]]; then
      log_tail "$f" 15
    fi
  done <<<"$1"
}

# --- secrets ------------------------------------------------------------------

# random_hex BYTES: BYTES random bytes as lower-case hex.
random_hex() {
  head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}

# ensure_secret_file FILE: a random password in FILE (mode 600), unless it
# already holds one. Passwords survive restarts; delete the file for a new one.
ensure_secret_file() {
  [[ -s "$1" ]] || (umask 077 && random_hex 18 >"$1")
}

# --- one server per script ----------------------------------------------------
#
# kafka.sh, clickhouse.sh and secure/kafka-secure.sh each manage one server and
# describe it once, before calling the service_* helpers:
#   SVC_NAME          name in messages ("Kafka")
#   SVC_LABEL         first word of the status line ("kafka")
#   SVC_DIR           state directory (holds the lock)
#   SVC_PID_FILE      pid file
#   SVC_MARKER        text only this server's command line contains
#   SVC_PORTS_FILE    where the ports of the running server are recorded
#   SVC_PORT_VARS     array: the variables holding its ports
#   SVC_STATUS_PORTS  the ports part of the status line, {VAR} = recorded port
#   SVC_SERVER_LOG    main log (startup failures show what this run wrote)
#   SVC_STDOUT_LOG    the process' stdout+stderr, truncated at each start
#   SVC_TIMEOUT       seconds to wait for readiness

service_lock() {
  take_lock "$SVC_DIR/.lock"
}

# service_pid: print the pid if the server runs, else fail.
service_pid() {
  running_pid "$SVC_PID_FILE" "$SVC_MARKER"
}

# service_wait_ready PROBE [ARGS...]: see wait_ready.
service_wait_ready() {
  wait_ready "$SVC_NAME" "$SVC_PID_FILE" "$SVC_MARKER" "$SVC_SERVER_LOG"$'\n'"$SVC_STDOUT_LOG" "$SVC_TIMEOUT" "$@"
}

# service_recheck PID WHAT PROBE [ARGS...]: a start that finds the server
# running only checks that it answers, and never stops it on a timeout. A
# server started with other ports is refused (see require_same_ports).
service_recheck() {
  local pid="$1" what="$2"
  shift 2
  require_same_ports "$SVC_NAME" "$SVC_PORTS_FILE" "${SVC_PORT_VARS[@]}"
  log "already running (pid $pid); checking $what"
  WAIT_READY_STOP_ON_TIMEOUT=0
  service_wait_ready "$@"
}

# service_launch CMD...: record the ports, mark the logs and start CMD as the
# server (see start_daemon).
service_launch() {
  save_ports "$SVC_PORTS_FILE" "${SVC_PORT_VARS[@]}"
  mark_log "$SVC_SERVER_LOG"
  : >"$SVC_STDOUT_LOG"
  start_daemon "$SVC_PID_FILE" "$SVC_STDOUT_LOG" "$@"
}

service_stop() {
  service_lock
  stop_pid "$SVC_NAME" "$SVC_PID_FILE" "$SVC_MARKER" 20
}

# service_status: one line; exit 0 when running, 3 when stopped.
service_status() {
  local pid ports var port
  if pid="$(service_pid)"; then
    ports="$SVC_STATUS_PORTS"
    for var in "${SVC_PORT_VARS[@]}"; do
      port="$(saved_port "$SVC_PORTS_FILE" "$var")"
      ports="${ports//"{$var}"/${port:-?}}"
    done
    echo "$SVC_LABEL: running (pid $pid), $ports, state $SVC_DIR"
  else
    echo "$SVC_LABEL: stopped"
    return 3
  fi
}
