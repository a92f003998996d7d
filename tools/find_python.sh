#!/usr/bin/env bash
# Print the path of the newest Python 3 that runs and can create a virtual
# environment (its venv and ensurepip modules import), between --min and --max.
#
#   tools/find_python.sh [--min 3.11] [--max 3.X] [--prefer PYTHON] [CANDIDATE...]
#
# The candidates are the commands given, else python3.N (newest first) and python3
# on PATH. Each one is run, not just found: a pyenv shim of a version that is not
# selected, or a Python without Debian's python3.N-venv, is passed over. --prefer
# is taken when it qualifies (the Makefile's PYTHON for the version matrix), else
# the search goes on. Exit 1, with the reason for every candidate, when none does.
set -uo pipefail

min=3.11
max=
prefer=
candidates=()
explicit=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --min) min=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --prefer) prefer=$2; shift 2 ;;
    *) candidates+=("$1"); shift ;;
  esac
done
min_minor=${min#3.}
max_minor=${max#3.}
if [ ${#candidates[@]} -eq 0 ]; then
  explicit=
  for ((minor = ${max_minor:-30}; minor >= min_minor; minor--)); do candidates+=("python3.$minor"); done
  candidates+=(python3)
fi

probe='import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'
reasons=()
if [ -n "$max" ]; then range="$min to $max"; else range="$min or newer"; fi

# Sets `found` (the path) and `found_minor` when $1 qualifies; records why not otherwise.
check() {
  local path version minor
  found=
  path=$(command -v "$1") || { [ -z "$explicit" ] || reasons+=("$1: not found"); return 1; }
  version=$("$path" -c "$probe" 2>/dev/null) || { reasons+=("$path: does not run, or has no venv/ensurepip"); return 1; }
  [[ $version =~ ^3\.([0-9]+)$ ]] || { reasons+=("$path: answered '$version', not a Python 3 version"); return 1; }
  minor=${BASH_REMATCH[1]}
  if [ "$minor" -lt "$min_minor" ] || { [ -n "$max_minor" ] && [ "$minor" -gt "$max_minor" ]; }; then
    reasons+=("$path: Python $version, not $range")
    return 1
  fi
  found=$path
  found_minor=$minor
}

if [ -n "$prefer" ] && check "$prefer"; then
  echo "$found"
  exit 0
fi

best=
best_minor=-1
for candidate in "${candidates[@]}"; do
  if check "$candidate" && [ "$found_minor" -gt "$best_minor" ]; then
    best=$found
    best_minor=$found_minor
  fi
done

if [ -z "$best" ]; then
  echo "find_python: no Python $range that runs and has venv; install one (Debian: python3 python3-venv) or set PYTHON=/path/to/python3" >&2
  printf '  %s\n' "${reasons[@]}" >&2
  exit 1
fi
echo "$best"
