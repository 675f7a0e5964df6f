#!/usr/bin/env bash
# Runs every test. On a fresh machine it first installs what it needs (scripts/bootstrap.sh);
# on a warm one that step takes a second. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { printf '\n== %s  (%ss)\n' "$*" $((SECONDS - start)); }

scripts/bootstrap.sh

step "native Rust tests: every rule, request building, retry and rate-limit decisions"
cargo test --quiet

step "build the package into pkg/"
node scripts/build.mjs

step "wasm-bindgen tests in Node"
cargo test --target wasm32-unknown-unknown --test wasm_boundary
step "wasm-bindgen tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm_boundary

step "sandbox self-tests"
node --test tests/sandbox/

step "pack the tarball and install it into the scratch consumer (tests/js)"
mkdir -p .build
rm -f .build/mava-sdk-*.tgz
tarball=$(cd .build && npm pack ../pkg --silent)
( cd tests/js && rm -rf node_modules && npm install --no-save --no-package-lock --no-audit --no-fund "../../.build/$tarball" >/dev/null )

step "package tests against the sandbox (Node, workerd)"
node --test --test-reporter=spec tests/js/

step "hostile JavaScript values through every entry point of the tarball (a short run; scripts/fuzz.sh runs more)"
node tests/fuzz/values.mjs --cases 2000 --package tests/js/node_modules/mava-sdk/node.js

step "TypeScript: the tarball's types under tsc --strict (ESM, CJS, bundler), expected errors, attw, publint; API docs current"
node tests/types/check.mjs ".build/$tarball"
node tests/types/docs.mjs --check

step "packaging: the tarball in Node 20/22 (import, require), Deno, Bun, Vite, webpack, esbuild, Rollup, Next.js, Jest, Vitest, a page without a bundler, a wrangler-bundled Worker, wrangler dev"
node tests/packaging/run.mjs ".build/$tarball"

step "demo: the intake form's Worker in workerd and the page in headless Chromium"
node --test tests/demo/

step "all tests passed in $((SECONDS - start))s"
