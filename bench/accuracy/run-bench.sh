#!/usr/bin/env bash
# Runs the accuracy bench (AccuracyBench) over bench/work/accuracy and writes
# bench/results/accuracy.md. Build first: mvn -B -q -pl bench -am package -DskipTests
# (then bench/accuracy/make-dataset.sh). Extra arguments go to AccuracyBench, e.g.
#   bench/accuracy/run-bench.sh --systems rapidocr,tesseract --limit 2
# Each system's score on each set is stored in bench/work/accuracy/out/<system>/<set>.scores.tsv
# (<set>.first-<n>.scores.tsv with --limit n); --reuse rapidocr,tesseract takes the peers' stored
# scores instead of running them, and refuses a set whose stored score covers other images.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
exec java -Djava.awt.headless=true -Dlogback.configurationFile="$ROOT/bench/accuracy/logback-accuracy.xml" -Xmx4g -cp "$CP" dev.ocrgate.bench.accuracy.AccuracyBench \
  --command "bench/accuracy/run-bench.sh $*" "$@"
