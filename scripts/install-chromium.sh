#!/usr/bin/env bash
# Install Debian's chromium for the browser tests. Needs root (or sudo); says so if it cannot.
set -u
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "chromium is missing and this user cannot install packages: run 'apt-get install -y chromium' as root" >&2
    exit 0
  fi
fi
echo "installing chromium (Debian package) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; } \
  || echo "could not install chromium; the browser tests will be skipped (or fail under CI=true)" >&2
exit 0
