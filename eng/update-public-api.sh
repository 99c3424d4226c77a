#!/usr/bin/env bash
# Records the libraries' public API as it is now in their PublicAPI.*.txt files: builds each project for each target
# framework with empty files, and writes what the analyzer reports (RS0016) — what every framework has to
# PublicAPI.<kind>.txt, what only some have to PublicAPI/<framework>/PublicAPI.<kind>.txt.
#   eng/update-public-api.sh            record everything as shipped (a release: what it promises)
#   eng/update-public-api.sh Unshipped  record what changed since the shipped files as unshipped (between releases)
# Review the diff: every line is a promise to users.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-Shipped}
for project in Contracts Client AspNetCore; do
  dir="$root/src/EventTracker.$project"
  frameworks=$(dotnet msbuild "$dir/EventTracker.$project.csproj" -getProperty:TargetFrameworks | tr ';' ' ')
  [[ "$kind" == Shipped ]] && files=("$dir"/PublicAPI.*.txt "$dir"/PublicAPI/*/PublicAPI.*.txt) || files=("$dir"/PublicAPI.Unshipped.txt "$dir"/PublicAPI/*/PublicAPI.Unshipped.txt)
  for file in "${files[@]}"; do [[ -f "$file" ]] && printf '#nullable enable\n' > "$file"; done
  for framework in $frameworks; do
    # The build fails with the missing symbols as errors; those are what is wanted here.
    dotnet build "$dir" -f "$framework" --nologo -v q -p:TreatWarningsAsErrors=false 2>&1 \
      | sed -n "s/.*warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" | sort -u > "$dir/.api-$framework" || true
  done
  python3 - "$dir" "$kind" $frameworks <<'PY'
import os, sys
directory, kind, frameworks = sys.argv[1], sys.argv[2], sys.argv[3:]
symbols = {f: set(open(os.path.join(directory, f".api-{f}")).read().split("\n")) - {""} for f in frameworks}
common = set.intersection(*symbols.values())
def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write("#nullable enable\n" + "".join(line + "\n" for line in sorted(lines, key=str.lower)))
write(os.path.join(directory, f"PublicAPI.{kind}.txt"), common)
for f in frameworks:
    if symbols[f] - common:
        write(os.path.join(directory, "PublicAPI", f, f"PublicAPI.{kind}.txt"), symbols[f] - common)
        other = "Unshipped" if kind == "Shipped" else "Shipped"
        if not os.path.exists(os.path.join(directory, "PublicAPI", f, f"PublicAPI.{other}.txt")):
            write(os.path.join(directory, "PublicAPI", f, f"PublicAPI.{other}.txt"), [])
    os.remove(os.path.join(directory, f".api-{f}"))
PY
done
