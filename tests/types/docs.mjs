#!/usr/bin/env node
// Generates the API reference, docs/api/ (Markdown, committed), from the package's types with
// typedoc and typedoc-plugin-markdown (config: typedoc.json). Offline and reproducible: the
// declarations are staged into tests/types/.scratch/api from pkg-template/index.d.ts and
// `cargo run --bin gen_types` (the same text scripts/build.mjs puts into pkg/), so no wasm build
// is needed.
//
//   node tests/types/docs.mjs           # rewrite docs/api
//   node tests/types/docs.mjs --check   # exit 1 if docs/api is not what the types generate
//   node tests/types/docs.mjs --pkg     # take the declarations from a built pkg/ instead
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const staged = join(here, ".scratch", "api");
const out = join(root, "docs", "api");
const check = process.argv.includes("--check");

rmSync(staged, { recursive: true, force: true });
mkdirSync(staged, { recursive: true });
if (process.argv.includes("--pkg")) {
  for (const f of ["index.d.ts", "calls.d.ts"]) cpSync(join(root, "pkg", f), join(staged, f));
} else {
  cpSync(join(root, "pkg-template", "index.d.ts"), join(staged, "index.d.ts"));
  const calls = execFileSync("cargo", ["run", "--quiet", "--bin", "gen_types"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  writeFileSync(join(staged, "calls.d.ts"), calls);
}

const target = check ? join(here, ".scratch", "docs-check") : out;
execFileSync(process.execPath, [join(root, "node_modules", "typedoc", "bin", "typedoc"), "--options", join(root, "typedoc.json"), "--out", target, "--logLevel", "Warn"], {
  cwd: root,
  stdio: "inherit",
});

if (check) {
  const files = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).sort()
      : [];
  const want = files(target);
  const have = files(out);
  const differ = [...new Set([...want, ...have])].filter(
    (f) => !want.includes(f) || !have.includes(f) || readFileSync(join(target, f), "utf8") !== readFileSync(join(out, f), "utf8"),
  );
  if (differ.length) {
    console.error(`docs/api is out of date (${differ.length} files differ: ${differ.slice(0, 5).join(", ")}…): run node tests/types/docs.mjs`);
    process.exit(1);
  }
  console.log(`docs/api is up to date (${want.length} files)`);
} else {
  console.log(`API reference written to ${relative(root, out)}/ (${readdirSync(out, { recursive: true }).length} entries)`);
}
