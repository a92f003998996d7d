#!/usr/bin/env bash
# Run `ansible-test sanity` on a copy of the collection laid out as
# ansible_collections/hwcloud/migration, as ansible-test requires, offline-safe.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# SANITY_VENV runs it with another virtual environment's ansible-test (`make
# test-matrix`), SANITY_TREE keeps that run's copy apart from the default one.
venv="${SANITY_VENV:-$here/.venv}"
tree="${SANITY_TREE:-$here/build/sanity}/ansible_collections/hwcloud/migration"

# ansible-test bootstraps pip in its per-test environments with a script it
# downloads from a host these machines cannot reach: cache an offline stand-in
# under the name it looks for (the pip version comes from ansible-test itself).
pip_version=$("$venv/bin/python" - <<'PY'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
print(re.search(r"pip='([0-9.]+)'", src.read_text()).group(1))
PY
)
cache="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
mkdir -p "$(dirname "$cache")"
cp "$here/tools/get_pip_standin.py" "$cache"

# Copy exactly what git would see (tracked plus untracked-but-not-ignored files).
rm -rf "$tree"
mkdir -p "$tree"
(cd "$here" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
  [ -e "$f" ] && { mkdir -p "$tree/$(dirname "$f")"; cp -p "$f" "$tree/$f"; }
done)
cd "$tree"
git init -q . && git add -A >/dev/null 2>&1 || true
# The Python of the venv that runs ansible-test (whatever version `make` picked).
python_version=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
PATH="$venv/bin:$PATH" ansible-test sanity --python "$python_version" --color no "$@"
