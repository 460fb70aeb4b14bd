#!/usr/bin/env bash
# Builds the benchmarks in Release, runs the micro level (BenchmarkDotNet) and the end-to-end level (Kestrel + wrk),
# prints the tables and writes them, with a description of the machine and its load, to docs/performance.md.
#
#   benchmarks/run.sh                 both levels, BenchmarkDotNet's default job (about 15 + 6 minutes on 2 cores)
#   benchmarks/run.sh --quick         both levels, short jobs (ShortRun; 2 s wrk rounds): a smoke test, noisy figures
#   benchmarks/run.sh --micro-only    only BenchmarkDotNet
#   benchmarks/run.sh --e2e-only      only Kestrel + wrk (needs wrk: apt-get install -y wrk)
#   benchmarks/run.sh --out FILE      write the markdown somewhere else than docs/performance.md
#   benchmarks/run.sh -- ARGS         pass ARGS to BenchmarkDotNet (e.g. -- --filter '*CheckBenchmarks*')
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/benchmarks/Reverification.Benchmarks/Reverification.Benchmarks.csproj"
dll="$root/benchmarks/Reverification.Benchmarks/bin/Release/net10.0/Reverification.Benchmarks.dll"
out="$root/docs/performance.md"
micro=1
e2e=1
quick=()
bdn_args=()
command_line="benchmarks/run.sh $*"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --micro-only) e2e=0 ;;
    --e2e-only) micro=0 ;;
    --quick) quick=(--quick) ;;
    --out) out="$2"; shift ;;
    --) shift; bdn_args=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ $e2e -eq 1 ]] && ! command -v wrk >/dev/null; then
  echo "wrk is not installed: apt-get update && apt-get install -y wrk (or run with --micro-only)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

load() {
  echo "- \`uptime\`: $(uptime | sed 's/^ *//')"
  echo "- busiest processes (\`top -bn2 -d 1\`, second sample):"
  echo
  echo '```'
  top -bn2 -d 1 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '7,14p'
  echo '```'
}

echo "== Building (Release)"
dotnet build "$project" -c Release --nologo -v q -clp:NoSummary

started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load > "$work/load-before.md"

if [[ $micro -eq 1 ]]; then
  echo "== Micro: BenchmarkDotNet ${quick[*]:-default job}"
  (cd "$root/benchmarks" && BENCH_ARTIFACTS="$root/benchmarks/BenchmarkDotNet.Artifacts" \
    dotnet "$dll" micro "${quick[@]}" --out "$work/micro.md" "${bdn_args[@]}")
fi

load > "$work/load-between.md"

if [[ $e2e -eq 1 ]]; then
  echo "== End to end: Kestrel + wrk ${quick[*]:-}"
  # Server GC, as an ASP.NET Core app gets by default; the script bounds itself well under 8 minutes.
  DOTNET_gcServer=1 timeout 470 dotnet "$dll" e2e "${quick[@]}" --out "$work/e2e.md"
fi

load > "$work/load-after.md"

cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cpus="$(lscpu | sed -n 's/^CPU(s): *//p' | head -1)"
threads="$(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1)"
os="$(. /etc/os-release && echo "$PRETTY_NAME")"
sdk="$(dotnet --version)"
runtime="$(dotnet --list-runtimes | grep 'Microsoft.NETCore.App' | tail -1 | cut -d' ' -f2)"
aspnet="$(dotnet --list-runtimes | grep 'Microsoft.AspNetCore.App' | tail -1 | cut -d' ' -f2)"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"

mkdir -p "$(dirname "$out")"
# The hand-written summary at the top of the file (between the summary:begin and summary:end markers) is kept.
summary=""
if [[ -f "$out" ]]; then
  summary="$(awk '/^<!-- summary:begin/{on=1} on{print} /^<!-- summary:end -->/{on=0}' "$out")"
fi
{
  echo "# Performance"
  echo
  echo "Measured $started with \`$command_line\` (Release build)."
  echo
  if [[ -n "$summary" ]]; then
    echo "$summary"
    echo
  fi
  echo "## Machine"
  echo
  echo "- CPU: $cpu, $cpus logical CPUs ($threads thread(s) per core) (\`lscpu\`)"
  echo "- OS: $os, kernel $(uname -r)"
  echo "- .NET SDK $sdk, runtime $runtime, ASP.NET Core $aspnet, RID $rid (\`dotnet --info\`)"
  echo "- The cores are shared: other work on the machine during the run is listed below. Ratios measured in one run"
  echo "  (side by side, interleaved for end to end) are the figures to read; absolute times move with the load."
  echo
  echo "Load before the run:"
  echo
  cat "$work/load-before.md"
  echo
  if [[ $micro -eq 1 && $e2e -eq 1 ]]; then
    echo "Load between the micro and end-to-end levels:"
    echo
    cat "$work/load-between.md"
    echo
  fi
  echo "Load after the run:"
  echo
  cat "$work/load-after.md"
  echo
  echo "## Results"
  echo
  [[ -f "$work/micro.md" ]] && cat "$work/micro.md" && echo
  [[ -f "$work/e2e.md" ]] && cat "$work/e2e.md"
} > "$out"

echo
echo "== Summary"
[[ -f "$work/micro.md" ]] && cat "$work/micro.md"
[[ -f "$work/e2e.md" ]] && cat "$work/e2e.md"
echo
echo "Written to $out"
if [[ -n "$summary" ]]; then
  echo "Its summary section was kept from the previous file: update its figures from the new tables."
fi
