#!/usr/bin/env bash
# Build the virtualenv the OpenSanctions baseline (bench/suite/opensanctions.py) runs in.
#
# Not in .venv: nomenklatura needs normality, which needs the `pyicu` distribution; pip builds
# it from source against the system ICU into the same `icu/` package that our `pyicu-wheels`
# (ICU 77.1) installs, replacing it without a word, and the engine's transliterations change.
# So the baseline runs in a worker process from this separate virtualenv instead.
#
# Needs python3 (>= 3.11), a C++ compiler, pkg-config and the ICU headers (Debian/Ubuntu:
# apt-get install g++ pkg-config libicu-dev) for that pyicu build; then only the registry.
#
#   bash bench/opensanctions_env.sh           # builds /tmp/entnorm-opensanctions
#   ENTNORM_OPENSANCTIONS_VENV=~/os-venv bash bench/opensanctions_env.sh
#
# The adapter finds it through the same variable (or ENTNORM_OPENSANCTIONS_PYTHON). The
# versions are pinned: the adapter ports nomenklatura's blocker and reads logic-v2 as of these.
set -euo pipefail

VENV="${ENTNORM_OPENSANCTIONS_VENV:-/tmp/entnorm-opensanctions}"
PYTHON="${PYTHON:-python3}"

"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "nomenklatura==4.17.4" "followthemoney==4.11.2" "rigour==2.6.1"
"$VENV/bin/python" - <<'EOF'
from importlib import metadata

import icu

names = ("nomenklatura", "followthemoney", "rigour", "normality", "pyicu")
print(", ".join(f"{n} {metadata.version(n)}" for n in names), f"(ICU {icu.ICU_VERSION})")
EOF
echo "ready: $VENV/bin/python"
