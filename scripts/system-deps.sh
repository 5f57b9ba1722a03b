#!/bin/sh
# Installs the system packages powercat needs on Debian: a Python with venv, Graphviz's
# `dot`, a Simplified-Chinese font and librsvg's `rsvg-convert` (flowchart booklets); with
# the argument `test`, also Chromium (the site's browser test) and poppler-utils (pdffonts,
# pdftotext). Does nothing when they are present; as
# non-root it says what to run instead of failing halfway.
set -eu
missing=""
if [ "${1:-}" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v pdffonts >/dev/null 2>&1 || missing="$missing poppler-utils"
fi
python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null || missing="$missing python3"
python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$missing python3-venv"
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list ':lang=zh' family 2>/dev/null | grep -i 'Noto Sans CJK' | head -n 1)" ]; then
  missing="$missing fonts-noto-cjk fontconfig"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "powercat: installing system packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true
else
  echo "powercat: missing system packages:$missing" >&2
  echo "  install them with: sudo apt-get install$missing" >&2
  exit 1
fi
