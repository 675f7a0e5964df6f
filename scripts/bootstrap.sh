#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine, and nothing on a warm one:
# the wasm32 target, wasm-bindgen-cli at the crate's exact version, Debian's Chromium and
# chromedriver (browser tests; not with --no-browser, as the demo asks), and the npm tools
# pinned in package-lock.json.
set -euo pipefail
browser=1
[ "${1:-}" = "--no-browser" ] && browser=0
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the wasm-bindgen version in Cargo.lock. No --locked: the CLI's own
# lockfile asks for a crate version this registry lacks.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  step "cargo install wasm-bindgen-cli $want (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$want"
fi

# twiggy names the biggest parts of the wasm on every build (scripts/build.mjs).
if ! command -v twiggy >/dev/null; then
  step "cargo install twiggy (a few minutes, once)"
  cargo install twiggy --version 0.8.0
fi

if [ "$browser" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  step "apt-get install chromium chromium-driver"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm install (pinned by package-lock.json) only when the lockfile changed since the last
# install. Not `npm ci`: it refuses a lockfile that lacks another platform's optional binaries,
# and this registry has at times lacked deno's. npm may add such entries as the registry gains
# them; what must not change is the version of anything already pinned.
if ! cmp -s package-lock.json node_modules/.mava-lock 2>/dev/null; then
  step "npm install (lockfile)"
  pinned=$(mktemp)
  cp package-lock.json "$pinned"
  npm install --no-audit --no-fund
  node -e '
    const [was, now] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")).packages);
    const moved = Object.keys(was).filter((k) => now[k] && now[k].version !== was[k].version);
    const added = Object.keys(now).filter((k) => !was[k] && !now[k].optional);
    const bad = [...moved.map((k) => k + " " + was[k].version + " -> " + now[k].version), ...added.map((k) => "new " + k)];
    if (bad.length) { console.error("npm install moved pinned packages:\n  " + bad.join("\n  ")); process.exit(1); }
  ' "$pinned" package-lock.json
  rm -f "$pinned"
  cp package-lock.json node_modules/.mava-lock
fi
