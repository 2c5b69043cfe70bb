#!/usr/bin/env bash
# Rule-only replay of the SUBTITLE stream's read-or-reuse decisions (no OCR, no server, so the
# numbers do not depend on load): every sampled frame of a part of the subtitle set goes through the
# server's own change rule (dev.ocrgate.bench.subtitles.ChangeReplay), every reuse is checked
# against the truth SRT (false / possible reuses, and the floor: frames where the truth changes).
#
# Usage: bench/subtitles/change-replay.sh [--part tune|test] --results FILE [ChangeReplay options:
#          --fps N --top F --gap-frames read|learn|reuse --gap-reread-ms N]
# Build first: mvn -B -q -pl bench -am package -DskipTests; sets: bench/subtitles/make-subtitle-set.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PART=tune
ARGS=()
while (($#)); do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ "$PART" == tune || "$PART" == test ]] || { echo "--part must be tune or test" >&2; exit 2; }
CP_FILE="$ROOT/bench/target/classpath.txt"
[[ -f "$CP_FILE" && -d "$ROOT/bench/target/classes" ]] || {
  echo "build the bench module first: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 1; }
SET="$ROOT/bench/work/subtitles/$PART"
[[ -d "$SET" ]] || { echo "no set at $SET: bench/subtitles/make-subtitle-set.sh --part $PART" >&2; exit 1; }
exec java -cp "$ROOT/bench/target/classes:$(cat "$CP_FILE")" dev.ocrgate.bench.subtitles.ChangeReplay \
  --set "$SET" "${ARGS[@]}"
