#!/usr/bin/env bash
# Runs `ocrgate subtitles` with DEFAULT flags (--fps 5, no --roi) on every video of a part of the
# subtitle set (bench/subtitles/make-subtitle-set.sh), times it and ffmpeg's own decode-and-sample
# of the same video (`ffmpeg -i V -vf fps=5 -f null -`), reads the server's frame counters from
# /metrics before and after each video, scores the SRTs (SubtitleScore) and writes
# bench/results/subtitles.md from every run of that part found under bench/work/subtitles/<part>/runs.
#
# Usage: bench/subtitles/run-subtitle-bench.sh [--part test|tune] [--label TEXT] [--run NAME] [--results FILE]
#          [--system ocrgate|rapidocr] [--target HOST:PORT --token TOKEN [--ca FILE] [--metrics URL]]
#          [--subtitles-args "ARGS"] [--server-pid PID]
#   Without --target it starts `bin/ocrgate serve --dev` (127.0.0.1:8443, metrics on :9464) and stops it
#   at the end. --system rapidocr runs the naive peer (SubtitlePeer: every sampled frame through
#   RapidOcr-Java, identical consecutive texts merged) instead, no server involved.
#   --run names the run directory (default: the system name); a later run with the same name replaces it.
#   --results: the Markdown file to write (default bench/results/subtitles.md).
#   --subtitles-args: extra arguments for every `ocrgate subtitles` run (word-split), e.g. "--exact-decode",
#   to measure one option with and without; the acceptance runs use none (default flags).
#   --server-pid: with --target, the server's process id on this machine, so its CPU time per video is
#   recorded too (the server this script starts itself is always measured).
# CPU seconds (user + system) are recorded next to wall times: ffmpeg's reference run, the CLI with its
# children (ffmpeg, ffprobe) and the server. Unlike wall time they hardly change with the machine's load,
# so the report can compare speed on a shared machine (see the report's "CPU" columns).
# Build first: mvn -B -q -pl bench -am package -DskipTests (bin/ocrgate builds the CLI itself).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=lib.sh
source "$ROOT/bench/subtitles/lib.sh"
ARGS="$(recorded_args "$@")" # the command as the results record it
PART=test RESULTS="" LABEL="" RUN="" SYSTEM=ocrgate TARGET="" TOKEN="" CA="" METRICS="http://127.0.0.1:9464/metrics" SUB_ARGS="" SERVER_PID_ARG=""
while (($#)); do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --run) RUN="$2"; shift 2 ;;
    --system) SYSTEM="$2"; shift 2 ;;
    --target) TARGET="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    --ca) CA="$2"; shift 2 ;;
    --metrics) METRICS="$2"; shift 2 ;;
    --subtitles-args) SUB_ARGS="$2"; shift 2 ;;
    --server-pid) SERVER_PID_ARG="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
SET="$ROOT/bench/work/subtitles/$PART"
[[ -f "$SET/plan.tsv" ]] || { echo "no set at $SET: run bench/subtitles/make-subtitle-set.sh --part $PART" >&2; exit 1; }
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
RUN="${RUN:-$SYSTEM}"
OUT="$SET/runs/$RUN"
rm -rf "$OUT"
mkdir -p "$OUT"
[[ -n "$LABEL" ]] || LABEL="$SYSTEM: $(git -C "$ROOT" rev-parse --abbrev-ref HEAD) $(git -C "$ROOT" rev-parse --short HEAD)"

frames() { # sum of ocrgate_stream_frames_total for result=$1, or of all results when $1 is empty; -1: no /metrics
  local body
  body="$(curl -sf "$METRICS")" || { echo -1; return; }
  awk -v r="$1" '/^ocrgate_stream_frames_total\{/ { if (r == "" || index($0, "result=\"" r "\"")) s += $NF } END { printf "%d\n", s }' <<< "$body"
}

SERVER_PID=""
stop_server() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; true; }
trap stop_server EXIT
if [[ "$SYSTEM" == ocrgate && -z "$TARGET" ]]; then
  bin/ocrgate --help >/dev/null # builds the CLI when needed, outside the timed runs
  : > "$OUT/server.log"
  bin/ocrgate serve --dev > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do grep -q "ocrgate serving on" "$OUT/server.log" && break; sleep 1; done
  grep -q "ocrgate serving on" "$OUT/server.log" || { echo "server did not start, see $OUT/server.log" >&2; exit 1; }
  TOKEN="$(bin/ocrgate token --sub subtitle-bench --scope ocr:stream --ttl PT2H)"
fi
MEASURED_PID="${SERVER_PID:-$SERVER_PID_ARG}"
export OCRGATE_TOKEN="$TOKEN" # the client reads it from the environment: not in argv, where ps shows it
CLIENT_ARGS=()
[[ -n "$TARGET" ]] && CLIENT_ARGS+=(--target "$TARGET")
[[ -n "$CA" ]] && CLIENT_ARGS+=(--ca "$CA")
read -r -a EXTRA_ARGS <<< "$SUB_ARGS"

{
  echo "# label: $LABEL"
  echo "# command: bench/subtitles/run-subtitle-bench.sh ${ARGS% }"
  echo "# started: $(date -u +%Y-%m-%dT%H:%MZ)"
} > "$OUT/measurements.tsv"
for video in "$SET"/sub-*.mp4; do
  id="$(basename "$video" .mp4)"
  duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")"
  children_cpu; c0=$CPU_NOW t0=$(now)
  ffmpeg -nostdin -loglevel error -i "$video" -vf fps=5 -f null -
  t1=$(now); children_cpu; c1=$CPU_NOW
  ffmpeg_s=$(echo "$t1 - $t0" | bc -l) ffmpeg_cpu=$(echo "$c1 - $c0" | bc -l)
  status=0
  if [[ "$SYSTEM" == ocrgate ]]; then
    rec0=$(frames recognized) all0=$(frames "")
    s0=$(process_cpu "$MEASURED_PID"); children_cpu; c0=$CPU_NOW t0=$(now)
    bin/ocrgate subtitles "$video" -o "$OUT/$id.srt" --fps 5 "${CLIENT_ARGS[@]}" ${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"} 2> "$OUT/$id.log" || status=$?
    t1=$(now); children_cpu; c1=$CPU_NOW s1=$(process_cpu "$MEASURED_PID")
    client_cpu=$(echo "$c1 - $c0" | bc -l)
    server_cpu=-1
    [[ "$s0" != -1 && "$s1" != -1 ]] && server_cpu=$(echo "$s1 - $s0" | bc -l)
    ocred=$(( $(frames recognized) - rec0 )) sampled=$(( $(frames "") - all0 ))
    (( rec0 >= 0 )) || { ocred=-1 sampled=-1; } # metrics not reachable: the report shows "?"
  else
    children_cpu; c0=$CPU_NOW t0=$(now)
    java -Djava.awt.headless=true -Dlogback.configurationFile="$ROOT/bench/accuracy/logback-accuracy.xml" -cp "$CP" \
      dev.ocrgate.bench.subtitles.SubtitlePeer "$video" "$OUT/$id.srt" 5 "$OUT/$id.counts" > "$OUT/$id.log" 2>&1 || status=$?
    t1=$(now); children_cpu; c1=$CPU_NOW
    client_cpu=$(echo "$c1 - $c0" | bc -l) server_cpu=0 # the peer reads in its own process: no server
    read -r sampled ocred < "$OUT/$id.counts" || { sampled=0 ocred=0; }
  fi
  wall_s=$(echo "$t1 - $t0" | bc -l)
  printf '%s\t%s\t%.3f\t%.3f\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\n' "$id" "$duration" "$wall_s" "$ffmpeg_s" "$sampled" "$ocred" \
    "$status" "$ffmpeg_cpu" "$client_cpu" "$server_cpu" >> "$OUT/measurements.tsv"
  echo "$id: ${wall_s}s (ffmpeg ${ffmpeg_s}s), CPU ${client_cpu}s client + ${server_cpu}s server (ffmpeg ${ffmpeg_cpu}s)," \
    "OCR'd $ocred of $sampled frames, exit $status" >&2
done
stop_server
SERVER_PID=""
rm -f "$OUT/.times"
RESULTS="${RESULTS:-$ROOT/bench/results/subtitles.md}"
mkdir -p "$(dirname "$RESULTS")"
# Every run of this part goes into the results file; the main baseline (run "ocrgate") first.
mapfile -t RUNS < <(ls -d "$SET"/runs/*/ | sort)
java -cp "$CP" dev.ocrgate.bench.subtitles.SubtitleReport --set "$SET" --results "$RESULTS" "${RUNS[@]}"
echo "wrote $RESULTS" >&2
