#!/usr/bin/env bash
# Burned-in English subtitle frames for the word-space sets: lines picked from a plain text, burned
# by libass (ffmpeg's subtitles filter, default font: fontconfig's Sans, i.e. DejaVu Sans from
# fonts-dejavu-core) at 40-80 px on 480p/720p frames over ffmpeg's own moving sources (mandelbrot,
# gradients, cellauto, life, testsrc2, a flat colour), white or yellow, outline and shadow.
# Truth: the subtitle text. Lines longer than the frame wrap to two lines; the truth stays one line.
#
# Usage: bench/accuracy/make-subtitle-frames.sh CORPUS OUT_DIR COUNT SEED
set -euo pipefail
corpus="$1" out="$2" count="$3" seed="$4"
command -v ffmpeg >/dev/null || { echo "missing ffmpeg (apt-get install ffmpeg)" >&2; exit 1; }
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Eligible: 25-60 printable ASCII characters, starting with a letter, no markup characters.
grep -E '^[[:space:]]*[A-Za-z][ -~]{24,59}$' "$corpus" | sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//' \
  | grep -vE '[|+=*#<>$\\{}_^@/~`]|  ' > "$tmp/eligible.txt" || true
total=$(wc -l < "$tmp/eligible.txt")
(( total >= count )) || { echo "only $total eligible lines in $corpus" >&2; exit 1; }
sources=(mandelbrot gradients cellauto life testsrc2 "color=c=0x405060")
sizes=(16 20 24 28 32)   # libass FontSize at its default PlayResY 288: x2.5 px at 720p, x1.67 at 480p
for ((i = 0; i < count; i++)); do
  n=$(( (i * total / count + seed) % total + 1 ))
  text="$(sed -n "${n}p" "$tmp/eligible.txt")"
  id="$(printf 'frame-%03d' "$i")"
  res=$([[ $((i % 3)) == 0 ]] && echo 854x480 || echo 1280x720)
  src="${sources[$((i % ${#sources[@]}))]}"
  [[ "$src" == *=* ]] && src="$src:s=$res" || src="$src=s=$res"
  # life and cellauto fill their first grid at random unless seeded: seed them so that a set made
  # twice holds the same frames. (ffmpeg 5.1's gradients differs from run to run even with a seed:
  # its frames, a sixth of the set, are not reproducible.)
  [[ "$src" == life=* || "$src" == cellauto=* ]] && src="$src:seed=$((seed + i))"
  colour=$([[ $((i % 4)) == 1 ]] && echo '&H00FFFF&' || echo '&H00FFFFFF&')
  printf '1\n00:00:00,000 --> 00:00:05,000\n%s\n' "$text" > "$tmp/$id.srt"
  ffmpeg -loglevel error -y -f lavfi -i "$src" \
    -vf "subtitles=$tmp/$id.srt:force_style='FontSize=${sizes[$((i % ${#sizes[@]}))]},PrimaryColour=$colour,Outline=2,Shadow=1'" \
    -frames:v 1 "$out/$id.png"
  printf '%s\n' "$text" > "$out/$id.txt"
  echo "frame $(basename "$out")/$id.png $res source ${src%%[:=]*} FontSize ${sizes[$((i % ${#sizes[@]}))]}"
done
