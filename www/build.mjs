#!/usr/bin/env node
// Assembles the Worker's static assets into dist/assets: the page (public/) and the files the
// browser loads from the mava-sdk package (its `browser` entry and everything that entry
// imports, including the .wasm) under /mava-sdk/, where the page's import map points.
// `wrangler deploy` runs this ([build] in wrangler.toml); scripts/demo.mjs calls buildAssets().
// Node built-ins only.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const WWW = dirname(fileURLToPath(import.meta.url));

/** The directory of the mava-sdk package that `from` (a directory) resolves to. */
export function sdkPackageDir(from = WWW) {
  const require = createRequire(join(from, "package.json"));
  try {
    return dirname(require.resolve("mava-sdk/package.json"));
  } catch {
    throw new Error(`mava-sdk is not installed for ${from}: run \`npm install\` in www/ (or \`node scripts/build.mjs\` first)`);
  }
}

/** The package's entry for a page without a bundler (its `browser` field) and the files it loads. */
export function browserFiles(pkgDir) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const entry = manifest.browser;
  if (typeof entry !== "string") throw new Error("mava-sdk has no `browser` field in package.json");
  const seen = new Set();
  const visit = (file) => {
    const path = normalize(file);
    if (seen.has(path)) return;
    if (!existsSync(join(pkgDir, path))) throw new Error(`mava-sdk: ${path} (loaded by the browser entry) is missing`);
    seen.add(path);
    if (!path.endsWith(".js")) return;
    const source = readFileSync(join(pkgDir, path), "utf8");
    const refs = [
      ...source.matchAll(/\b(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g),
      ...source.matchAll(/new URL\(\s*["'](\.{1,2}\/[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g),
    ];
    for (const [, ref] of refs) visit(join(dirname(path), ref));
  };
  visit(entry);
  return { entry: normalize(entry), files: [...seen] };
}

/** Writes public/ plus the package's browser files to `outDir`; returns what it copied. */
export function buildAssets({ outDir = join(WWW, "dist", "assets"), sdkFrom = WWW } = {}) {
  const pkgDir = sdkPackageDir(sdkFrom);
  const { entry, files } = browserFiles(pkgDir);
  if (entry !== "browser.js") {
    throw new Error(`mava-sdk's browser entry is ${entry}; update the import map in public/index.html`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(join(WWW, "public"), outDir, { recursive: true });
  for (const file of files) {
    const to = join(outDir, "mava-sdk", file);
    if (relative(join(outDir, "mava-sdk"), to).startsWith("..")) throw new Error(`mava-sdk: ${file} is outside the package`);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(pkgDir, file), to);
  }
  return { outDir, pkgDir, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const { outDir, files } = buildAssets();
  console.log(`assets: ${relative(process.cwd(), outDir) || "."} (page + mava-sdk/${files.join(", mava-sdk/")})`);
}
