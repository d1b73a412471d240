#!/usr/bin/env bash
# Install a built bundle for the current user: ~/.local/opt/sla-workbench, a launcher
# in ~/.local/bin, the desktop entry and the icon.  Usage: install.sh [DIST_DIR]
set -euo pipefail
DIST_DIR="${1:-$(cd "$(dirname "$0")/../.." && pwd)/dist}"
PREFIX="${PREFIX:-$HOME/.local}"
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/icons/hicolor/256x256/apps"
rm -rf "$PREFIX/opt/sla-workbench"
cp -a "$DIST_DIR/sla-workbench" "$PREFIX/opt/sla-workbench"
ln -sf "$PREFIX/opt/sla-workbench/sla-workbench" "$PREFIX/bin/sla-workbench"
cp "$(dirname "$0")/sla-workbench.desktop" "$PREFIX/share/applications/"
icon="$(dirname "$0")/../../resources/icons/sla-workbench.png"
[ -f "$icon" ] && cp "$icon" "$PREFIX/share/icons/hicolor/256x256/apps/sla-workbench.png"
echo "installed: $PREFIX/bin/sla-workbench"
