#!/usr/bin/env bash
# Runs a built ocrgate image the way a container runtime would, on a machine where no runtime can
# start containers (no Docker daemon; crun/runc refused by the kernel or the sandbox), and checks it:
#
#   deploy/docker/smoke-test.sh [IMAGE]        (default: ocrgate:<version>, the CPU image)
#
# The image's root filesystem is mounted by buildah and run with the image's own entry point,
# command, user, environment and working directory (read from the image config), in new PID and
# mount namespaces, chroot'ed, with the root filesystem READ-ONLY, a tmpfs at /tmp, and the config,
# TLS and JWKS bind-mounted at /etc/ocrgate, as deploy/k8s/deployment.yaml does. Checks:
#   1. `ocrgate --help` prints the subcommands;
#   2. `ocrgate serve` (the image's CMD) comes up: /readyz answers 200 after model warm-up;
#   3. a real Recognize call over TLS with a JWT minted on the host reads the text of a rendered image;
#   4. SIGTERM sent to PID 1 of the container (tini) while a Recognize call is in flight reaches
#      the JVM: the server logs the signal and drains, the call completes with its text, and the
#      container exits 0 (not 143, which would mean the JVM was killed).
# Needs root, buildah, unshare and chroot (util-linux, coreutils), curl, openssl, ffmpeg with
# DejaVu fonts, and the host's bin/ocrgate (for keys, token and recognize). Network: the host's
# (ports on 127.0.0.1 only). Exit 0 when every check passed.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(awk '/<artifactId>ocrgate-parent<\/artifactId>/{f=1} f && /<version>/{gsub(/.*<version>|<\/version>.*/,""); print; exit}' "$home/pom.xml")"
image="${1:-ocrgate:${version%-SNAPSHOT}}"
[[ $EUID == 0 ]] || { echo "smoke-test: must run as root (mounts, namespaces, chroot)" >&2; exit 1; }
for tool in buildah unshare chroot curl openssl ffmpeg; do
  command -v "$tool" >/dev/null || { echo "smoke-test: $tool is required" >&2; exit 1; }
done

work="$(mktemp -d /tmp/ocrgate-smoke.XXXXXX)"
ctr="" serve_pid="" inflight_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill -KILL "$serve_pid" 2>/dev/null || true
  [[ -n "$inflight_pid" ]] && kill -KILL "$inflight_pid" 2>/dev/null || true
  if [[ -n "$ctr" ]]; then buildah umount "$ctr" >/dev/null 2>&1 || true; buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "smoke-test: $*" >&2; }
fail() { echo "smoke-test: FAILED: $*" >&2; exit 1; }

ctr="$(buildah from --pull-never "$image")"
root="$(buildah mount "$ctr")"
cfg() { buildah inspect --type container --format "$1" "$ctr"; }
user="$(cfg '{{.OCIv1.Config.User}}')"
workdir="$(cfg '{{.OCIv1.Config.WorkingDir}}')"
mapfile -t entrypoint < <(cfg '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}' | sed '/^$/d')
mapfile -t cmd < <(cfg '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}' | sed '/^$/d')
mapfile -t env < <(cfg '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
step "image $image: user $user, workdir $workdir, entrypoint ${entrypoint[*]}, cmd ${cmd[*]}"
[[ "$user" =~ ^[1-9][0-9]*:[0-9]+$ ]] || fail "image user '$user' is not a numeric non-root uid:gid"
mkdir -p "$root/etc/ocrgate"   # the mount point (a ConfigMap/Secret mount in Kubernetes)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"; metrics="$(free_port)"

# Config, TLS and JWKS as the pod gets them; the signing key stays on the host.
"$home/certs/gen-dev.sh" "$work/etc/tls" >/dev/null
"$home/bin/ocrgate" keys generate --dir "$work/keys" >/dev/null
cp "$work/keys/jwks.json" "$work/etc/jwks.json"
chmod -R a+rX "$work/etc"
cat > "$work/etc/ocrgate.yaml" <<EOF
server: {host: 127.0.0.1, port: $port, drain_timeout_seconds: 60}
tls: {cert_chain: /etc/ocrgate/tls/server.crt, private_key: /etc/ocrgate/tls/server.key}
auth: {enabled: true, issuers: [ocrgate], audience: ocrgate, jwks_file: /etc/ocrgate/jwks.json}
metrics: {enabled: true, host: 127.0.0.1, port: $metrics}
EOF

# run_image LOG ARGS...: the image's entry point with ARGS (or its CMD), as a container would.
run_image() {
  local log="$1"; shift
  local args=("$@"); ((${#args[@]})) || args=("${cmd[@]}")
  unshare --mount --pid --fork --kill-child=SIGKILL /bin/sh -ec '
    root="$1" etc="$2" user="$3" workdir="$4"; shift 4
    mount --make-rprivate /
    mount --bind "$root" "$root" && mount -o remount,bind,ro "$root"   # readOnlyRootFilesystem
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o mode=1777,size=256m tmpfs "$root/tmp"            # the emptyDir at /tmp
    mount --bind -o ro "$etc" "$root/etc/ocrgate"
    exec chroot --userspec="$user" "$root" /usr/bin/env -i -C "$workdir" "$@"
  ' sh "$root" "$work/etc" "$user" "$workdir" "${env[@]}" "${entrypoint[@]}" "${args[@]}" \
    >"$log" 2>&1
}

step "1/4 ocrgate --help"
run_image "$work/help.log" --help || { cat "$work/help.log" >&2; fail "--help exited non-zero"; }
grep -q "serve" "$work/help.log" || { cat "$work/help.log" >&2; fail "--help does not list serve"; }

step "2/4 ocrgate serve (gRPC 127.0.0.1:$port, metrics $metrics); waiting for /readyz"
run_image "$work/serve.log" &
serve_pid=$!
ready=false
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$metrics/readyz" >/dev/null 2>&1; then ready=true; break; fi
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 1
done
$ready || { cat "$work/serve.log" >&2; fail "/readyz never answered 200"; }
step "    ready: /healthz $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics/healthz"), /readyz 200"

step "3/4 Recognize over TLS with a JWT"
ffmpeg -loglevel error -f lavfi -i color=white:s=900x120 -frames:v 1 -vf \
  "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='Container smoke test 2026':fontsize=56:fontcolor=black:x=30:y=30" \
  "$work/text.png"
token="$("$home/bin/ocrgate" token --keys-dir "$work/keys" --sub smoke --scope ocr:recognize --ttl 300)"
OCRGATE_TOKEN="$token" "$home/bin/ocrgate" recognize --target "localhost:$port" --ca "$work/etc/tls/ca.crt" \
  "$work/text.png" > "$work/recognize.out" 2>&1 || { cat "$work/recognize.out" >&2; fail "recognize failed"; }
grep -qi "smoke test" "$work/recognize.out" || { cat "$work/recognize.out" >&2; fail "text not recognised"; }
step "    recognised: $(tr '\n' ' ' < "$work/recognize.out")"

step "4/4 SIGTERM to the container's PID 1 while a Recognize call is in flight"
# A dense page keeps one call busy for a while; SIGTERM goes out once the server counts it in
# flight, and the call must still complete with its text (drain), then the container exit 0.
for i in $(seq 1 40); do echo "Drain check line $i of the page"; done > "$work/page.txt"
ffmpeg -loglevel error -f lavfi -i color=white:s=1400x2400 -frames:v 1 -vf \
  "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=$work/page.txt:fontsize=40:line_spacing=16:fontcolor=black:x=40:y=40" \
  "$work/page.png"
OCRGATE_TOKEN="$token" "$home/bin/ocrgate" recognize --target "localhost:$port" --ca "$work/etc/tls/ca.crt" \
  "$work/page.png" > "$work/inflight.out" 2>&1 &
inflight_pid=$!
in_flight() { curl -fsS "http://127.0.0.1:$metrics/metrics" | awk '/^ocrgate_grpc_server_calls_in_flight /{print int($2)}'; }
seen=false
for _ in $(seq 1 1200); do
  if [[ "$(in_flight)" -ge 1 ]]; then seen=true; break; fi
  kill -0 "$inflight_pid" 2>/dev/null || break
  sleep 0.05
done
$seen || fail "never saw the Recognize call in flight (ocrgate_grpc_server_calls_in_flight)"
# serve_pid is the subshell running run_image; below it unshare, below that the container's PID 1.
child_of() { cat /proc/"$1"/task/*/children 2>/dev/null | awk '{print $1}'; }
pid1="$(child_of "$(child_of "$serve_pid")")"
[[ -n "$pid1" ]] || fail "no container init process under $serve_pid"
step "    PID 1 is $(tr '\0' ' ' < "/proc/$pid1/cmdline")(host pid $pid1)"
kill -TERM "$pid1"
code=0
wait "$serve_pid" || code=$?
serve_pid=""
grep -q "received SIGTERM" "$work/serve.log" || { cat "$work/serve.log" >&2; fail "the JVM never saw SIGTERM"; }
((code == 0)) || { tail -20 "$work/serve.log" >&2; fail "container exited $code after SIGTERM (want 0)"; }
wait "$inflight_pid" || { cat "$work/inflight.out" >&2; fail "the call in flight at SIGTERM failed"; }
grep -q "line 40 of the page" "$work/inflight.out" || { cat "$work/inflight.out" >&2; fail "the call in flight lost text"; }
step "    the call in flight at SIGTERM completed: $(grep -c 'of the page' "$work/inflight.out") of 40 lines"
step "    exit code 0; the server's last log lines:"
tail -5 "$work/serve.log" | sed 's/^/      /' >&2
step "PASSED: $image"
