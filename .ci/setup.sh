#!/usr/bin/env bash
# Installs what the notebook render tests need, only when missing (safe to run again):
#   - Debian packages: Jupyter (nbconvert, nbclient, jupyter-client, ipykernel, jupyter-core) and
#     Chromium (headless browser for the render test);
#   - the Deno Jupyter kernel (`deno jupyter --install`) when no working "deno" kernelspec exists.
# Waits for the dpkg lock when another apt/dpkg run holds it.
set -euo pipefail

PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-core chromium)

log() { echo "setup: $*" >&2; }

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      log "need root (or sudo) to install: ${missing[*]}"
      exit 1
    fi
  fi
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"; }
  log "installing ${missing[*]}"
  if ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then apt_get update -q; fi
  ok=0
  for attempt in 1 2 3; do
    if apt_get install -y -q --no-install-recommends "${missing[@]}"; then
      ok=1
      break
    fi
    log "apt-get install failed (attempt $attempt); refreshing package lists and retrying"
    sleep $((attempt * 10))
    apt_get update -q || true
  done
  if ((ok == 0)); then
    log "could not install ${missing[*]}"
    exit 1
  fi
fi

# The Deno kernel: present, and pointing at a deno binary that still exists.
DENO_BIN="${DENO_BIN:-$(command -v deno || true)}"
kernel_ok=0
spec_dir="$(jupyter kernelspec list 2>/dev/null | awk '$1 == "deno" { print $2 }')"
if [ -n "$spec_dir" ] && [ -f "$spec_dir/kernel.json" ]; then
  kernel_deno="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' \
    "$spec_dir/kernel.json" 2>/dev/null || true)"
  if [ -n "$kernel_deno" ] && [ -x "$kernel_deno" ]; then kernel_ok=1; fi
fi
if ((kernel_ok == 0)); then
  if [ -z "$DENO_BIN" ]; then
    log "deno not found on PATH; cannot install the Deno Jupyter kernel"
    exit 1
  fi
  log "installing the Deno Jupyter kernel ($DENO_BIN jupyter --install)"
  "$DENO_BIN" jupyter --install >&2
fi
