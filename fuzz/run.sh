#!/usr/bin/env bash
# Coverage-guided fuzzing of the claim readers: SharpFuzz (instruments Reverification.AspNetCore.dll) + AFL++
# (Debian package afl++). Not part of the test run.
#
#   fuzz/run.sh [seconds per target]          default 180; TARGETS="timestamps fva oidc supabase"
#
# Each target feeds fuzzer bytes to one claims reader and to an independent oracle (Oracles.cs); a crash is an
# exception from the reader or a disagreement between the two. Crashes are replayed at the end; turn them into
# entries of tests/Reverification.AspNetCore.Hardening.Tests/Corpus.
# Without AFL++, the same harness runs a bounded in-process mutation loop:
#   dotnet fuzz/bin/Reverification.Fuzz.dll <target> --mutate <seconds> fuzz/seeds/<target>
set -euo pipefail

seconds="${1:-180}"
targets="${TARGETS:-timestamps fva oidc supabase}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/bin"
tools="$here/.tools"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
fi

rm -rf "$out"
rm -rf "$here/findings"
dotnet publish "$here/Reverification.Fuzz/Reverification.Fuzz.csproj" -c Release -o "$out" --nologo -v quiet
"$tools/sharpfuzz" "$out/Reverification.AspNetCore.dll"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
status=0
for target in $targets; do
  findings="$here/findings/$target"
  rm -rf "$findings" "$findings.log"
  mkdir -p "$here/findings"
  echo "== $target: afl-fuzz for $seconds s"
  afl-fuzz -i "$here/seeds/$target" -o "$findings" -t 5000 -m none -V "$seconds" -x "$here/dict.txt" -- dotnet "$out/Reverification.Fuzz.dll" "$target" > "$findings.log" 2>&1 || true
  stats="$findings/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|edges_found)' "$stats" | tr -s ' ' | sed "s/^/$target: /"
  else
    echo "$target: afl-fuzz did not start; see $findings.log" >&2
    tail -20 "$findings.log" >&2
    status=1
  fi

  if compgen -G "$findings/default/crashes/id*" > /dev/null; then
    dotnet "$out/Reverification.Fuzz.dll" "$target" --replay "$findings/default/crashes" || status=1
  fi
done
exit $status
