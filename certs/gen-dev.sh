#!/usr/bin/env bash
# Makes development TLS material with openssl: a dev CA, a server certificate for
# localhost / 127.0.0.1 / ::1, and a client certificate for mTLS. Never use it in production.
#
#   certs/gen-dev.sh [OUT_DIR]      (default: certs/dev next to this script)
#
# Outputs (PEM; private keys are PKCS#8, mode 600):
#   ca.crt ca.key  server.crt server.key  client.crt client.key
# Existing files are kept: delete the folder to regenerate.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/dev}"
days="${OCRGATE_DEV_CERT_DAYS:-825}"
command -v openssl >/dev/null || { echo "gen-dev.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$out"
cd "$out"
if [[ -s ca.crt && -s server.crt && -s server.key && -s client.crt && -s client.key ]]; then
  echo "dev TLS material already present in $out"
  exit 0
fi
umask 077
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=ocrgate dev CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.crt

issue() { # name subject extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$tmp/$1.csr"
  printf '%s\n' "$3" > "$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
    -days "$days" -extfile "$tmp/$1.ext" -out "$1.crt" 2>/dev/null
}

issue server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"

issue client "/CN=ocrgate-dev-client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

rm -f ca.srl
chmod 600 ./*.key
chmod 644 ./*.crt
echo "dev TLS material written to $out (CA: ca.crt)"
