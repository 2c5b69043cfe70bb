#!/usr/bin/env bash
# The out-of-process load test (bench/results/remote-load.md): builds the bench module, then runs
# RemoteBench, which starts `bin/ocrgate serve` as its own process and drives it over TLS with
# real tokens. Options: --streams, --frames, --reps, --warmup-frames, --warmup-jit-ms, --warmup-max-rounds,
# --sweep-streams, --calls, --no-sweep, --thread-cpu, --compare-unary-clients (--help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -pl bench -am package -DskipTests
exec java -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
  dev.ocrgate.bench.streaming.RemoteBench "$@"
