#!/usr/bin/env bash
# Builds the subtitle evaluation set under bench/work/subtitles/<part> (git-ignored): short videos
# (24 s, 25 fps, 480p and 720p, H.264) over MOVING ffmpeg lavfi backgrounds (mandelbrot, testsrc2,
# life, cellauto, gradients; film-grain noise on some), with subtitles burned in by libass (ffmpeg's
# `subtitles` filter with force_style) from English lines of the GPL-3 text shipped by base-files and
# Chinese runs of the debian-reference-zh-cn plain-text manual, in DejaVu Sans (fonts-dejavu-core) and
# Noto Sans CJK SC (fonts-noto-cjk): one and two lines, 30-80 px at 720p, white and yellow, outline
# and shadow, at the bottom and somewhat higher. The truth is <id>.srt next to each <id>.mp4, planned
# by dev.ocrgate.bench.subtitles.SubtitleSetPlanner (cue texts, times, styles) and burned from that
# very file. Parts: `tune` (for choosing settings) and `test` (held out, reported) share no text;
# `short-tune` / `short-test` hold short cues; `styles` (test text, never tuned on) holds looks the
# others lack: fades, a box, a letterbox bar, portrait, 1080p, no outline, shadow only, bottom-left.
#
# Needs: ffmpeg with libass, fonts-dejavu-core, fonts-noto-cjk, apt-get (only `apt-get download`
# debian-reference-zh-cn when bench/work/accuracy/extracted/zh-corpus.txt is not there), java and the
# bench module built (mvn -B -q -pl bench -am package -DskipTests).
#
# Usage: bench/subtitles/make-subtitle-set.sh [--part tune|test|short-tune|short-test|styles] [--videos N] [--seconds S]
#          [--first K --name NAME]
#        (defaults: test, 24 s, 8 videos; 24 videos for the short-cue parts, whose 8 first videos are
#        the same as with 8: 58 cues of one to three words gave recall 0.948 where 177 gave 0.921)
#        --first K --name NAME: fresh held-out videos of a part's plan: plans N videos, keeps and
#        burns only videos K..N-1, under bench/work/subtitles/NAME. The planner is deterministic,
#        so videos 0..K-1 are the part's own and K..N-1 are new (the session-14 fresh parts:
#        --part short-test --videos 40 --first 24 --name short-fresh, --videos 56 --first 40
#        --name short-fresh2, --videos 72 --first 56 --name short-fresh3).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PART=test VIDEOS= SECONDS_PER_VIDEO=24 FIRST=0 NAME=
while (($#)); do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    --videos) VIDEOS="$2"; shift 2 ;;
    --seconds) SECONDS_PER_VIDEO="$2"; shift 2 ;;
    --first) FIRST="$2"; shift 2 ;;
    --name) NAME="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$PART" =~ ^((short-)?(tune|test)|styles)$ ]] || { echo "--part must be tune, test, short-tune, short-test or styles" >&2; exit 2; }
[[ -n "$VIDEOS" ]] || { [[ "$PART" == short-* ]] && VIDEOS=24 || VIDEOS=8; }
[[ "$FIRST" =~ ^[0-9]+$ ]] && (( FIRST < VIDEOS )) || { echo "--first must be a number below --videos" >&2; exit 2; }
{ (( FIRST == 0 )) && [[ -z "$NAME" ]]; } || [[ "$NAME" =~ ^[a-z0-9-]+$ && "$NAME" != "$PART" ]] \
  || { echo "--first needs --name (lower-case letters, digits, '-'; not the part's own name)" >&2; exit 2; }

need() { command -v "$1" >/dev/null || { echo "missing $1 (apt-get install $2)" >&2; exit 1; }; }
need ffmpeg ffmpeg
need java openjdk-17-jdk-headless
need dpkg-deb dpkg
ffmpeg -hide_banner -filters 2>/dev/null | grep ' subtitles ' >/dev/null || { echo "ffmpeg lacks the libass subtitles filter" >&2; exit 1; }
fc-list | grep 'DejaVu Sans' >/dev/null || { echo "missing DejaVu Sans (apt-get install fonts-dejavu-core)" >&2; exit 1; }
fc-list | grep 'Noto Sans CJK SC' >/dev/null || { echo "missing Noto Sans CJK SC (apt-get install fonts-noto-cjk)" >&2; exit 1; }
CP_FILE="$ROOT/bench/target/classpath.txt"
[[ -f "$CP_FILE" && -d "$ROOT/bench/target/classes" ]] || {
  echo "build the bench module first: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 1; }

WORK="$ROOT/bench/work/subtitles"
OUT="$WORK/${NAME:-$PART}"
ENGLISH=/usr/share/common-licenses/GPL-3
CHINESE="$ROOT/bench/work/accuracy/extracted/zh-corpus.txt"
mkdir -p "$WORK"
if [[ ! -f "$CHINESE" ]]; then
  # Same text bench/accuracy/make-dataset.sh extracts; fetched (not installed) when that was not run.
  CHINESE="$WORK/extracted/zh-corpus.txt"
  if [[ ! -f "$CHINESE" ]]; then
    mkdir -p "$WORK/debs" "$WORK/extracted"
    ls "$WORK/debs"/debian-reference-zh-cn_*.deb >/dev/null 2>&1 || (cd "$WORK/debs" && apt-get download -qq debian-reference-zh-cn)
    dpkg-deb -x "$(ls "$WORK/debs"/debian-reference-zh-cn_*.deb | head -1)" "$WORK/extracted"
    zcat "$WORK/extracted/usr/share/debian-reference/debian-reference.zh-cn.txt.gz" > "$CHINESE"
  fi
fi

rm -rf "$OUT"
mkdir -p "$OUT"
MANIFEST="$OUT/manifest.txt"
{
  if [[ -n "$NAME" ]]; then
    echo "$NAME: videos $FIRST-$((VIDEOS - 1)) of part $PART's plan of $VIDEOS, ${SECONDS_PER_VIDEO} s at 25 fps, made by bench/subtitles/make-subtitle-set.sh"
  else
    echo "part $PART: $VIDEOS videos of ${SECONDS_PER_VIDEO} s at 25 fps, made by bench/subtitles/make-subtitle-set.sh"
  fi
  echo "text base-files $(dpkg-query -W -f='${Version}' base-files) $ENGLISH sha256=$(sha256sum "$ENGLISH" | cut -c1-16)"
  echo "text debian-reference-zh-cn $(dpkg-deb -f "$(ls "$ROOT"/bench/work/{accuracy,subtitles}/debs/debian-reference-zh-cn_*.deb 2>/dev/null | head -1)" Version 2>/dev/null || echo '?') zh-corpus.txt sha256=$(sha256sum "$CHINESE" | cut -c1-16)"
  for p in ffmpeg libass9 fonts-dejavu-core fonts-noto-cjk; do
    echo "package $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo missing)"
  done
} > "$MANIFEST"

java -cp "$ROOT/bench/target/classes:$(cat "$CP_FILE")" dev.ocrgate.bench.subtitles.SubtitleSetPlanner \
  --part "$PART" --english "$ENGLISH" --chinese "$CHINESE" --out "$OUT" \
  --videos "$VIDEOS" --seconds "$SECONDS_PER_VIDEO" >> "$MANIFEST"
if (( FIRST > 0 )); then
  # Keep only the fresh videos: their plan rows, manifest lines and truth SRTs.
  keep() { local n="${1#sub-}"; (( 10#$n >= FIRST )); }
  awk -F'\t' -v first="$FIRST" 'NR == 1 || substr($1, 5) + 0 >= first' "$OUT/plan.tsv" > "$OUT/plan.tsv.tmp"
  mv "$OUT/plan.tsv.tmp" "$OUT/plan.tsv"
  for f in "$OUT"/sub-*.srt; do
    id="$(basename "$f" .srt)"; id="${id%.burn}"
    keep "$id" || rm -f "$f"
  done
  awk -v first="$FIRST" '!/^video / || substr($2, index($2, "sub-") + 4, 2) + 0 >= first' "$MANIFEST" > "$MANIFEST.tmp"
  mv "$MANIFEST.tmp" "$MANIFEST"
fi

# Burn each planned video: lavfi source [+ noise, letterbox bars] + subtitles from the truth SRT
# itself (or from <id>.burn.srt, the truth with fade tags, where the planner wrote one).
while IFS=$'\t' read -r id size lavfi prefilter style _; do
  [[ "$id" == \#* ]] && continue
  burn="$OUT/$id.srt"
  [[ -f "$OUT/$id.burn.srt" ]] && burn="$OUT/$id.burn.srt"
  vf="subtitles=$burn:force_style='$style'"
  [[ "$prefilter" != - ]] && vf="$prefilter,$vf"  # "-": none (bash read collapses empty tab fields)
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "$lavfi" -t "$SECONDS_PER_VIDEO" -vf "$vf" \
    -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -an "$OUT/$id.mp4"
  echo "made $PART/$id.mp4 ($size)" >&2
done < "$OUT/plan.tsv"
echo "wrote $(ls "$OUT"/*.mp4 | wc -l) videos under $OUT; manifest: $MANIFEST"
