#!/usr/bin/env node
'use strict';
// Recognize one image:  node recognize.js --ca certs/dev/ca.crt --token "$OCRGATE_TOKEN" image.png
// Prints one JSON object: {model, width, height, lines: [{text, confidence, box}]}.
const fs = require('fs');
const { parseArgs, connect, exitOnError, deadline } = require('./client');

const opts = parseArgs(process.argv.slice(2));
const file = opts._[0];
if (!file) {
  process.stderr.write('usage: node recognize.js --ca CA.pem [--target host:port] [--token JWT] IMAGE\n');
  process.exit(2);
}
const { client, metadata } = connect(opts);
const request = { image: { encoded: { data: fs.readFileSync(file) } } };
client.Recognize(request, metadata, { deadline: deadline(60) }, (err, response) => {
  if (err) exitOnError(err);
  const out = {
    model: response.model,
    width: response.imageWidth,
    height: response.imageHeight,
    lines: response.lines.map((l) => ({
      text: l.text,
      confidence: Number(l.confidence.toFixed(3)),
      box: l.box.points.map((p) => [Math.round(p.x), Math.round(p.y)]),
    })),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  client.close();
});
