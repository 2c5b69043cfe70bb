'use strict';
// Shared setup for the ocrgate examples: loads ocrgate/v1/*.proto with @grpc/proto-loader and
// builds an OcrService client over TLS that sends `authorization: Bearer <jwt>` on every call.
//
// Options (flags override environment):
//   --target HOST:PORT | dns:///name:port   default localhost:8443 (OCRGATE_TARGET)
//   --ca FILE          PEM CA that signed the server certificate (dev: certs/dev/ca.crt)
//   --token JWT        access token (or environment OCRGATE_TOKEN); never printed
//   --proto-dir DIR    where ocrgate/v1/*.proto live (default: the repository's proto module)
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function parseArgs(argv) {
  const opts = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        opts[key] = true;
      } else {
        opts[key] = next;
        i++;
      }
    } else {
      opts._.push(a);
    }
  }
  return opts;
}

function loadApi(protoDir) {
  const definition = protoLoader.loadSync(
    ['ocrgate/v1/ocr.proto', 'ocrgate/v1/common.proto'],
    {
      includeDirs: [protoDir, path.join(__dirname, 'protos')],
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: true,
    });
  return grpc.loadPackageDefinition(definition).ocrgate.v1;
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}

/** An OcrService client and the call metadata, from command-line options. */
function connect(opts) {
  const target = opts.target || process.env.OCRGATE_TARGET || 'localhost:8443';
  const token = opts.token || process.env.OCRGATE_TOKEN;
  if (!token) fail('no token: pass --token JWT or set OCRGATE_TOKEN');
  if (!opts.ca) fail('no CA: pass --ca FILE (dev: certs/dev/ca.crt)');
  const protoDir = opts['proto-dir'] || path.join(REPO_ROOT, 'proto', 'src', 'main', 'proto');
  const api = loadApi(protoDir);
  const creds = grpc.credentials.createSsl(fs.readFileSync(opts.ca));
  const client = new api.OcrService(target, creds, {
    // Balance calls (not connections) over every address a dns:/// target resolves to, e.g. the
    // pods behind the headless Service of deploy/k8s.
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  });
  const metadata = new grpc.Metadata();
  metadata.set('authorization', 'Bearer ' + token);
  return { client, metadata };
}

/** Prints a failed call's status code and message (never the token) and exits 1. */
function exitOnError(err) {
  const code = Object.keys(grpc.status).find((k) => grpc.status[k] === err.code) || err.code;
  process.stderr.write(`error: ${code}: ${err.details}\n`);
  process.exit(1);
}

function deadline(seconds) {
  return new Date(Date.now() + seconds * 1000);
}

module.exports = { parseArgs, connect, exitOnError, deadline };
