#!/usr/bin/env bash
# Build the self-contained one-folder application with PyInstaller into $DIST_DIR
# (default dist/): $DIST_DIR/sla-workbench/sla-workbench is the executable.
# Usage: packaging/build.sh            (from anywhere; uses the project's .venv)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST_DIR="${DIST_DIR:-$ROOT/dist}"
WORK_DIR="${WORK_DIR:-$ROOT/build/pyinstaller}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
if [ ! -x "$PY" ]; then
  python3 -m venv "$ROOT/.venv"
  PY="$ROOT/.venv/bin/python"
fi
"$PY" -m pip install -q -e "$ROOT[package]"
VERSION="$("$PY" -c 'from importlib.metadata import version; print(version("sla-workbench"))')"
echo "building SLA Workbench $VERSION into $DIST_DIR"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST_DIR" --workpath "$WORK_DIR" "$ROOT/packaging/sla-workbench.spec"
echo "$VERSION" > "$DIST_DIR/sla-workbench/VERSION"
cp "$ROOT/packaging/linux/sla-workbench.desktop" "$DIST_DIR/sla-workbench/"
du -sh "$DIST_DIR/sla-workbench" | awk '{print "bundle size: " $1}'
