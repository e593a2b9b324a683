#!/usr/bin/env bash
# Install the Debian packages the test suite needs beyond Python: Chromium, which
# tests/test_viz.py uses to open the HTML written by `kgbuild viz` headless, and Raptor's
# rapper (raptor2-utils), which tests/test_hostile.py uses to parse every RDF output.
# Idempotent: does nothing when every package is already there.
set -euo pipefail

PACKAGES=(chromium raptor2-utils)

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: ${PACKAGES[*]} already installed ($(command -v chromium), $(command -v rapper))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: ${missing[*]} missing and apt-get is not available;" \
       "install Chromium by hand (it must be on PATH as 'chromium')" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-system-deps: need root or sudo to run apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-system-deps: ${SUDO[*]:+${SUDO[*]} }apt-get update"
if ! "${SUDO[@]}" apt-get update -q; then
  echo "install-system-deps: apt-get update failed; check the Debian package sources" >&2
  exit 1
fi
echo "install-system-deps: ${SUDO[*]:+${SUDO[*]} }apt-get install -y --no-install-recommends ${missing[*]}"
if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "install-system-deps: could not install ${missing[*]} with apt-get; install it by hand" >&2
  exit 1
fi
for tool in chromium rapper; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-system-deps: apt-get finished but '$tool' is still not on PATH" >&2
    exit 1
  fi
done
echo "install-system-deps: installed ${missing[*]} ($(chromium --version 2>/dev/null || echo chromium))"
