#!/usr/bin/env bash
# Measures `ocrgate subtitles` option sets against each other on one part of the subtitle set, the
# sets ALTERNATING per video (so a machine whose load drifts treats them alike), against a server
# that is already running. Per video and option set it records wall time, the CLI process tree's CPU
# (user+sys incl. ffmpeg/ffprobe, /usr/bin/time), the server's CPU (/proc/PID/stat) and the frame
# counters, next to ffmpeg's own decode-and-sample time measured right before; then scores every set
# with SubtitleReport (same columns as bench/results/subtitles.md) into --results, and prints a CPU table.
#
# Usage: bench/subtitles/compare-client-options.sh --part tune --target HOST:PORT --token TOKEN --ca FILE
#          --metrics URL --server-pid PID --results FILE  NAME="ENV=… -- ARGS" ...
#   Each NAME="SPEC" is one option set: environment assignments for bin/ocrgate (e.g. OCRGATE_CDS=0),
#   then "--", then extra `subtitles` arguments. Example:
#   … base="OCRGATE_CDS=0 -- --pixels rgb" gray="-- --pixels gray"
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PART=tune TARGET="" TOKEN="" CA="" METRICS="" SPID="" RESULTS=""
SETS=()
while (($#)); do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    --target) TARGET="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    --ca) CA="$2"; shift 2 ;;
    --metrics) METRICS="$2"; shift 2 ;;
    --server-pid) SPID="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    *=*) SETS+=("$1"); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
SET="$ROOT/bench/work/subtitles/$PART"
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
export OCRGATE_TOKEN="$TOKEN"
TCK=$(getconf CLK_TCK)
frames() { curl -sf "$METRICS" | awk -v r="$1" '/^ocrgate_stream_frames_total\{/ { if (r == "" || index($0, "result=\"" r "\"")) s += $NF } END { printf "%d\n", s }'; }
scpu() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }
now() { date +%s.%N; }
run_set() { # name spec video out -> "wall user sys"
  local spec="$2" envs=() args=()
  local before="${spec%%--*}" after="${spec#*--}"
  read -r -a envs <<< "$before"; read -r -a args <<< "$after"
  env ${envs[@]+"${envs[@]}"} /usr/bin/time -f "%e %U %S" -o "$4.time" bin/ocrgate subtitles "$3" -o "$4" --fps 5 \
    --target "$TARGET" --ca "$CA" ${args[@]+"${args[@]}"} 2> "$4.log" || echo "exit $? for $1 on $3" >&2
}
names=()
for s in "${SETS[@]}"; do
  n="${s%%=*}"; names+=("$n"); rm -rf "$SET/runs/$n"; mkdir -p "$SET/runs/$n"
  { echo "# label: $n: ${s#*=}"; echo "# command: bench/subtitles/compare-client-options.sh (alternating per video)"; echo "# started: $(date -u +%Y-%m-%dT%H:%MZ)"; } > "$SET/runs/$n/measurements.tsv"
  : > "$SET/runs/$n/cpu.tsv"
done
first="$(ls "$SET"/sub-*.mp4 | head -1)"
for s in "${SETS[@]}"; do run_set warmup "${s#*=}" "$first" /tmp/compare-warmup.srt; done # CDS archives, server JIT
i=0
for video in "$SET"/sub-*.mp4; do
  id="$(basename "$video" .mp4)"
  duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")"
  n=${#SETS[@]}
  for ((k = 0; k < n; k++)); do
    s="${SETS[$(( (k + i) % n ))]}"; name="${s%%=*}"; out="$SET/runs/$name"
    t0=$(now); /usr/bin/time -f "%e %U %S" -o "$out/$id.ffmpeg.time" ffmpeg -nostdin -loglevel error -i "$video" -vf fps=5 -f null -; t1=$(now)
    ffmpeg_s=$(echo "$t1 - $t0" | bc -l)
    rec0=$(frames recognized) all0=$(frames "") c0=$(scpu) load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(now); run_set "$name" "${s#*=}" "$video" "$out/$id.srt"; t1=$(now)
    c1=$(scpu)
    wall_s=$(echo "$t1 - $t0" | bc -l)
    printf '%s\t%s\t%.3f\t%.3f\t%d\t%d\t%d\n' "$id" "$duration" "$wall_s" "$ffmpeg_s" $(( $(frames "") - all0 )) $(( $(frames recognized) - rec0 )) 0 >> "$out/measurements.tsv"
    read -r _ cu cs < "$out/$id.srt.time"; read -r _ fu fs < "$out/$id.ffmpeg.time"
    printf '%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s\n' "$id" "$(echo "$cu + $cs" | bc -l)" "$(echo "($c1 - $c0) / $TCK" | bc -l)" "$(echo "$fu + $fs" | bc -l)" "$wall_s" "$load" >> "$out/cpu.tsv"
    echo "$name $id: wall ${wall_s}s ffmpeg ${ffmpeg_s}s cli_cpu $cu+$cs load $load" >&2
  done
  i=$((i + 1))
done
runs=(); for n in "${names[@]}"; do runs+=("$SET/runs/$n/"); done
java -cp "$CP" dev.ocrgate.bench.subtitles.SubtitleReport --set "$SET" --results "$RESULTS" "${runs[@]}"
echo "| video | $(printf '%s CLI CPU s / server CPU s / wall s | ' "${names[@]}")ffmpeg CPU s | load |"
for video in "$SET"/sub-*.mp4; do
  id="$(basename "$video" .mp4)"; row="| $id |"; fcpu=""; ld=""
  for n in "${names[@]}"; do
    read -r _ cli srv ff wall load < <(grep -P "^$id\t" "$SET/runs/$n/cpu.tsv")
    row+=" $cli / $srv / $(printf %.1f "$wall") |"; fcpu="$ff"; ld="$load"
  done
  echo "$row $fcpu | $ld |"
done
