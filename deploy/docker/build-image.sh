#!/usr/bin/env bash
# Builds the ocrgate server image, CPU or CUDA, from this repository in one command:
#
#   deploy/docker/build-image.sh cpu     # -> ocrgate:<version>       (deploy/docker/Dockerfile)
#   deploy/docker/build-image.sh cuda    # -> ocrgate:<version>-cuda  (deploy/docker/Dockerfile.cuda)
#
# <version> is the Maven project version without -SNAPSHOT (the tag deploy/k8s uses). Steps:
# Maven packages the CLI (tests skipped; it also unpacks the model weights into models/), the jars
# of its runtime classpath, the model folders and the launcher are staged in
# target/image/<flavor>/, and the builder builds the Dockerfile on that context.
#
# Options:  --tag NAME[:TAG]   image name (default above)
#           --skip-maven       reuse the last Maven build (cli/target/classpath.txt)
#           --save FILE        also write the image as an OCI archive (e.g. for `kind load image-archive`)
# Environment:
#   OCRGATE_IMAGE_BUILDER  docker | podman | buildah (default: docker if its daemon answers, else
#                          podman, else buildah). podman and buildah need no daemon; where the
#                          OCI runtime cannot start containers, BUILDAH_ISOLATION=chroot helps.
#   OCRGATE_BASE_IMAGE     replaces the Dockerfile's BASE_IMAGE (a mirror, a pinned digest, or a
#                          local image; deploy/README.md shows one made with mmdebstrap).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

flavor="${1:-}"
case "$flavor" in
  cpu) dockerfile="$home/deploy/docker/Dockerfile"; suffix="" ;;
  cuda) dockerfile="$home/deploy/docker/Dockerfile.cuda"; suffix="-cuda" ;;
  *) usage ;;
esac
shift
tag="" skip_maven=false save=""
while (($#)); do
  case "$1" in
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --skip-maven) skip_maven=true; shift ;;
    --save) save="${2:?--save needs a file}"; shift 2 ;;
    *) usage ;;
  esac
done

# The parent POM's own <version> (the first one after its artifactId).
version="$(awk '/<artifactId>ocrgate-parent<\/artifactId>/{f=1} f && /<version>/{gsub(/.*<version>|<\/version>.*/,""); print; exit}' "$home/pom.xml")"
version="${version%-SNAPSHOT}"
[[ -n "$version" ]] || { echo "build-image: no <version> in $home/pom.xml" >&2; exit 1; }
tag="${tag:-ocrgate:${version}${suffix}}"

if ! $skip_maven; then
  echo "build-image: mvn package (cli and what it needs, no tests)" >&2
  (cd "$home" && mvn -B -q -DskipTests -pl cli -am package)
fi

# --- stage the build context -------------------------------------------------------------------
cp_file="$home/cli/target/classpath.txt"
[[ -f "$cp_file" ]] || { echo "build-image: $cp_file missing; run without --skip-maven" >&2; exit 1; }
ctx="$home/target/image/$flavor"
rm -rf "$ctx"
mkdir -p "$ctx"/{lib,app,bin,models,tools}
link_or_copy() { ln "$1" "$2/" 2>/dev/null || cp "$1" "$2/"; }

# ocrgate's own jars (reactor modules) go to app/, everything else to lib/: separate layers.
IFS=: read -r -a entries <<< "$(< "$cp_file")"
for jar in "${entries[@]}"; do
  [[ -f "$jar" && "$jar" == *.jar ]] || { echo "build-image: classpath entry is not a jar: $jar" >&2; exit 1; }
  if [[ "$jar" == "$home"/* ]]; then link_or_copy "$jar" "$ctx/app"; else link_or_copy "$jar" "$ctx/lib"; fi
done
cli_jar=("$home"/cli/target/ocrgate-cli-*.jar)
[[ -f "${cli_jar[0]}" ]] || { echo "build-image: no cli/target/ocrgate-cli-*.jar" >&2; exit 1; }
link_or_copy "${cli_jar[0]}" "$ctx/app"

# Every model folder (a folder with a model.yaml), with the weights the build unpacked.
found=0
for dir in "$home"/models/*/; do
  [[ -f "$dir/model.yaml" ]] || continue
  name="$(basename "$dir")"
  compgen -G "$dir*.onnx" >/dev/null || { echo "build-image: no .onnx files in $dir (the Maven build unpacks them)" >&2; exit 1; }
  mkdir -p "$ctx/models/$name"
  for f in "$dir"*; do [[ -f "$f" ]] && link_or_copy "$f" "$ctx/models/$name"; done
  found=$((found + 1))
done
((found > 0)) || { echo "build-image: no model folder under $home/models" >&2; exit 1; }

install -m 0755 "$home/deploy/docker/ocrgate" "$ctx/bin/ocrgate"
install -m 0755 "$home/deploy/docker/check-cuda-provider" "$ctx/tools/check-cuda-provider"
echo "build-image: context $ctx ($(du -sh "$ctx" | cut -f1); $(ls "$ctx/lib" | wc -l) library jars, $(ls "$ctx/app" | wc -l) ocrgate jars, $found model folder(s))" >&2

# --- build -------------------------------------------------------------------------------------
builder="${OCRGATE_IMAGE_BUILDER:-}"
if [[ -z "$builder" ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then builder=docker
  elif command -v podman >/dev/null; then builder=podman
  elif command -v buildah >/dev/null; then builder=buildah
  else echo "build-image: no image builder: install docker, podman or buildah" >&2; exit 1
  fi
fi
build_args=()
[[ -n "${OCRGATE_BASE_IMAGE:-}" ]] && build_args+=(--build-arg "BASE_IMAGE=$OCRGATE_BASE_IMAGE")
case "$builder" in
  docker|podman) "$builder" build -f "$dockerfile" -t "$tag" "${build_args[@]}" "$ctx" ;;
  buildah) buildah bud --layers -f "$dockerfile" -t "$tag" "${build_args[@]}" "$ctx" ;;
  *) echo "build-image: OCRGATE_IMAGE_BUILDER must be docker, podman or buildah" >&2; exit 2 ;;
esac
echo "build-image: built $tag with $builder" >&2

if [[ -n "$save" ]]; then
  case "$builder" in
    docker) docker save -o "$save" "$tag" ;;
    podman) podman save --format oci-archive -o "$save" "$tag" ;;
    buildah) buildah push "$tag" "oci-archive:$save:$tag" ;;
  esac
  echo "build-image: saved $tag to $save" >&2
fi
