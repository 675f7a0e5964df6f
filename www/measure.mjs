#!/usr/bin/env node
// Page weight of the intake form: every file the page loads before anyone types (the HTML, its
// CSS and JS, and the mava-sdk browser files including the wasm), raw and gzip -9.
//   node www/measure.mjs [--json]
// The browser test (tests/demo/page.test.mjs) records the same from what Chromium really loaded,
// in tests/artifacts/demo-page-weight.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildAssets } from "./build.mjs";

const out = mkdtempSync(join(tmpdir(), "mava-intake-weight-"));
try {
  const { files } = buildAssets({ outDir: out });
  const html = readFileSync(join(out, "index.html"), "utf8");
  // What index.html references (stylesheet, module scripts), then what they import.
  const page = ["index.html", ...[...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)="\/([^"]+\.(?:css|js))"/g)].map((m) => m[1])];
  const own = new Set(page);
  for (const f of page.filter((f) => f.endsWith(".js") && !f.startsWith("mava-sdk/"))) {
    for (const [, ref] of readFileSync(join(out, f), "utf8").matchAll(/\bfrom\s*"\.\/([^"]+)"/g)) own.add(ref);
  }
  for (const f of files) own.add(`mava-sdk/${f}`);
  const rows = [...own].map((path) => {
    const bytes = readFileSync(join(out, path));
    return { path: `/${path === "index.html" ? "" : path}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = rows.reduce((s, r) => ({ bytes: s.bytes + r.bytes, gzip: s.gzip + r.gzip }), { bytes: 0, gzip: 0 });
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ files: rows, total }, null, 2));
  } else {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    for (const r of rows) console.log(`${r.path.padEnd(28)} ${kb(r.bytes).padStart(9)} ${kb(r.gzip).padStart(9)} gzipped`);
    console.log(`${"total".padEnd(28)} ${kb(total.bytes).padStart(9)} ${kb(total.gzip).padStart(9)} gzipped`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
