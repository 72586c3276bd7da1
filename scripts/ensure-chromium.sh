#!/usr/bin/env bash
# Browser tests drive Debian's chromium; Playwright cannot download its own browser here.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and cannot be installed" >&2
  exit 1
fi
echo "chromium is missing: the browser tests will be skipped (install Debian's chromium to run them)"
