#!/usr/bin/env node
'use strict';
// StreamFrames: sends each IMAGE as one video frame (pts 0, 500, 1000 ... ms) and prints every
// response as one JSON line: {"result": {...}} per frame, {"cue": {...}} per finished subtitle.
//   node stream.js --ca certs/dev/ca.crt --token "$OCRGATE_TOKEN" [--repeat N] [--interval-ms 500] a.png b.png
// Flow control: write() returning false means the server is not reading yet (it reads only as
// fast as it recognises); wait for 'drain' before the next frame.
const fs = require('fs');
const { parseArgs, connect, exitOnError, deadline } = require('./client');

const opts = parseArgs(process.argv.slice(2));
if (opts._.length === 0) {
  process.stderr.write('usage: node stream.js --ca CA.pem [--token JWT] [--repeat N] IMAGE...\n');
  process.exit(2);
}
const repeat = Number(opts.repeat || 1);
const intervalMs = Number(opts['interval-ms'] || 500);
const images = opts._.map((f) => fs.readFileSync(f));
const { client, metadata } = connect(opts);

const call = client.StreamFrames(metadata, { deadline: deadline(120) });
call.on('data', (msg) => {
  if (msg.result) {
    const r = msg.result;
    process.stdout.write(JSON.stringify({
      result: {
        seq: Number(r.seq),
        ptsMs: Number(r.ptsMs),
        text: r.lines.map((l) => l.text).join('\n'),
        reusedFromSeq: r.reusedFromSeq === undefined || r.reusedFromSeq === null ? null : Number(r.reusedFromSeq),
        error: r.error ? r.error.message : null,
      },
    }) + '\n');
  } else if (msg.cue) {
    const c = msg.cue;
    process.stdout.write(JSON.stringify({
      cue: { index: c.index, startMs: Number(c.startMs), endMs: Number(c.endMs), text: c.text },
    }) + '\n');
  }
});
call.on('error', exitOnError);
call.on('end', () => client.close());

async function send() {
  const write = (msg) => new Promise((resolve) => {
    if (call.write(msg)) resolve(); else call.once('drain', resolve);
  });
  // Whole frame, full OCR of it (FULL reads the whole frame by default; said explicitly here).
  await write({
    config: {
      region: { normalized: { x: 0, y: 0, width: 1, height: 1 } },
      mode: 'STREAM_MODE_FULL',
      emitCues: true,
      frameIntervalMs: intervalMs,
    },
  });
  let seq = 1;
  for (let r = 0; r < repeat; r++) {
    for (const data of images) {
      await write({ frame: { seq: String(seq), ptsMs: String((seq - 1) * intervalMs), image: { encoded: { data } } } });
      seq++;
    }
  }
  call.end();
}
send().catch((e) => { process.stderr.write(`error: ${e.message}\n`); process.exit(1); });
