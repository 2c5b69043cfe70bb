#!/usr/bin/env bash
# Speed of `ocrgate subtitles` over a whole part of the subtitle set in ONE command (several videos,
# --output-dir, --jobs N: one JVM, one connection) against the same videos one command each (what
# run-subtitle-bench.sh times) and against ffmpeg's own decode-and-sample of the same videos
# (`ffmpeg -i V -vf fps=5 -f null -`, one after the other), all with default flags. Passes alternate
# the order of the client variants, so load drifting on a shared machine hits each of them alike.
# Every variant's SRTs are kept and compared with the one-command-each run's (same cues or not).
#
# Usage: bench/subtitles/run-batch-bench.sh [--part test|tune] --target HOST:PORT --token TOKEN
#          [--ca FILE] [--server-pid PID] [--jobs "1 2"] [--passes 2] --results FILE
# Build first: bin/ocrgate --help (builds the CLI); sets: bench/subtitles/make-subtitle-set.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=lib.sh
source "$ROOT/bench/subtitles/lib.sh"
ARGS="$(recorded_args "$@")" # the command as the results record it
PART=test TARGET="" TOKEN="" CA="" SERVER_PID="" JOBS="1 2" PASSES=2 RESULTS=""
while (($#)); do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    --target) TARGET="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    --ca) CA="$2"; shift 2 ;;
    --server-pid) SERVER_PID="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --passes) PASSES="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$TARGET" && -n "$TOKEN" && -n "$RESULTS" ]] || { echo "--target, --token and --results are required" >&2; exit 2; }
SET="$ROOT/bench/work/subtitles/$PART"
[[ -f "$SET/plan.tsv" ]] || { echo "no set at $SET: run bench/subtitles/make-subtitle-set.sh --part $PART" >&2; exit 1; }
mapfile -t VIDEOS < <(ls "$SET"/sub-*.mp4)
OUT="$SET/batch-runs"
rm -rf "$OUT"
mkdir -p "$OUT"
export OCRGATE_TOKEN="$TOKEN" # from the environment: not in argv, where ps shows it
CLIENT=(--fps 5 --target "$TARGET")
[[ -n "$CA" ]] && CLIENT+=(--ca "$CA")
bin/ocrgate --help > /dev/null # builds the CLI when needed, outside the timed runs

# run_variant NAME DIR: runs one variant over every video, prints "wall client_cpu server_cpu status"
run_variant() {
  local name="$1" dir="$2" status=0 s0 s1 t0 t1 c0 c1 server
  mkdir -p "$dir"
  s0=$(process_cpu "$SERVER_PID"); children_cpu; c0=$CPU_NOW; t0=$(now)
  case "$name" in
    ffmpeg)
      for v in "${VIDEOS[@]}"; do ffmpeg -nostdin -loglevel error -i "$v" -vf fps=5 -f null - || status=$?; done ;;
    each)
      for v in "${VIDEOS[@]}"; do
        bin/ocrgate subtitles "$v" -o "$dir/$(basename "$v" .mp4).srt" "${CLIENT[@]}" 2>> "$dir/log" || status=$?
      done ;;
    jobs-*)
      bin/ocrgate subtitles "${VIDEOS[@]}" --output-dir "$dir" --jobs "${name#jobs-}" "${CLIENT[@]}" 2>> "$dir/log" || status=$? ;;
  esac
  t1=$(now); children_cpu; c1=$CPU_NOW; s1=$(process_cpu "$SERVER_PID")
  server=-1
  [[ "$s0" != -1 && "$s1" != -1 ]] && server=$(echo "$s1 - $s0" | bc -l)
  printf '%.3f %.3f %.3f %d\n' "$(echo "$t1 - $t0" | bc -l)" "$(echo "$c1 - $c0" | bc -l)" "$server" "$status"
}

VARIANTS=(each)
for j in $JOBS; do VARIANTS+=("jobs-$j"); done
duration=0
for v in "${VIDEOS[@]}"; do
  duration=$(echo "$duration + $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$v")" | bc -l)
done
: > "$OUT/rows.tsv"
for pass in $(seq 1 "$PASSES"); do
  order=("${VARIANTS[@]}")
  if (( pass % 2 == 0 )); then mapfile -t order < <(printf '%s\n' "${VARIANTS[@]}" | tac); fi
  read -r fw fc _ _ < <(run_variant ffmpeg "$OUT/p$pass-ffmpeg")
  echo "pass $pass: ffmpeg ${fw}s wall, ${fc}s CPU" >&2
  for name in "${order[@]}"; do
    read -r w c s st < <(run_variant "$name" "$OUT/p$pass-$name")
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$name" "$w" "$c" "$s" "$st" "$fw" "$fc" >> "$OUT/rows.tsv"
    echo "pass $pass: $name ${w}s wall, ${c}s client CPU, ${s}s server CPU, exit $st" >&2
  done
done
rm -f "$OUT/.times"
# SRTs identical to the same pass's one-command-each run (known only once the pass is over)
while IFS=$'\t' read -r pass name rest; do
  same=0
  for v in "${VIDEOS[@]}"; do
    id="$(basename "$v" .mp4)"
    cmp -s "$OUT/p$pass-$name/$id.srt" "$OUT/p$pass-each/$id.srt" && same=$((same + 1))
  done
  printf '%s\t%s\t%s\t%d\n' "$pass" "$name" "$rest" "$same"
done < "$OUT/rows.tsv" > "$OUT/rows-compared.tsv"

{
  echo "Command: \`bench/subtitles/run-batch-bench.sh ${ARGS% }\` ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD), ${#VIDEOS[@]} videos, $(printf '%.0f' "$duration") s of video)"
  echo
  echo "| pass | client | wall s | ffmpeg wall s (same pass) | wall / ffmpeg | × real time | client CPU s | server CPU s | (client + server) CPU / ffmpeg CPU | exit | SRTs identical to one command each |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' -v d="$duration" -v n="${#VIDEOS[@]}" '{
    name = $2 == "each" ? "one command per video" : "one command, --jobs " substr($2, 6)
    same = $2 == "each" ? "–" : $9 " of " n
    server = $5 < 0 ? "?" : sprintf("%.1f", $5)
    ratio = $5 < 0 ? "?" : sprintf("%.2f", ($4 + $5) / $8)
    printf "| %d | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %s | %s | %d | %s |\n", $1, name, $3, $7, $3 / $7, d / $3, $4, server, ratio, $6, same
  }' "$OUT/rows-compared.tsv"
} > "$RESULTS"
echo "wrote $RESULTS" >&2
