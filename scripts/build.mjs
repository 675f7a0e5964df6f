#!/usr/bin/env node
// Builds the npm package into pkg/: cargo (wasm32, release) → wasm-bindgen --target web →
// wasm-opt -Oz (npm binaryen, never Debian's: it corrupts wasm-bindgen output) → the files
// of pkg-template/. Prints the size of what an app loads, raw and gzipped, every time, and
// writes it to pkg/size.json and the README's size line.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const work = join(root, ".build", "bindgen");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], ...opts });

run("cargo", ["build", "--release", "--lib", "--target", "wasm32-unknown-unknown", "--quiet"]);
rmSync(work, { recursive: true, force: true });
run("wasm-bindgen", [
  "target/wasm32-unknown-unknown/release/mava_sdk.wasm",
  "--target", "web", "--weak-refs", "--out-dir", work, "--out-name", "mava_sdk",
]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
run(join(root, "node_modules", ".bin", "wasm-opt"), [
  "-Oz", "--converge", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
  join(work, "mava_sdk_bg.wasm"), "-o", join(pkg, "mava_sdk_bg.wasm"),
]);
cpSync(join(root, "pkg-template"), pkg, { recursive: true });
// Minify the JS an app loads (the bindgen glue and the facade); names that users see (error
// classes) are set explicitly in sdk.js, so renaming locals changes nothing observable.
const { transformSync } = await import("esbuild");
const minify = (from, to) =>
  writeFileSync(to, transformSync(readFileSync(from, "utf8"), { minify: true, format: "esm", target: "es2022", keepNames: true, legalComments: "none" }).code);
minify(join(work, "mava_sdk.js"), join(pkg, "mava_sdk.js"));
minify(join(root, "pkg-template", "sdk.js"), join(pkg, "sdk.js"));
// Input types and method signatures come from the Rust call descriptions.
writeFileSync(join(pkg, "calls.d.ts"), execFileSync("cargo", ["run", "--quiet", "--bin", "gen_types"], { cwd: root, encoding: "utf8" }));

// What an app loads: the wasm, the bindgen glue, the facade and one entry (the largest).
const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const raw = (f) => statSync(f).size;
const file = (n) => join(pkg, n);
const entries = ["node.js", "browser.js", "workerd.js"];
const biggestEntry = entries.reduce((a, b) => (gz(file(a)) >= gz(file(b)) ? a : b));
const js = ["mava_sdk.js", "sdk.js", biggestEntry];
const size = {
  wasm: { raw: raw(file("mava_sdk_bg.wasm")), gzip: gz(file("mava_sdk_bg.wasm")) },
  js: { raw: js.reduce((s, n) => s + raw(file(n)), 0), gzip: js.reduce((s, n) => s + gz(file(n)), 0) },
};
size.total = { raw: size.wasm.raw + size.js.raw, gzip: size.wasm.gzip + size.js.gzip };
writeFileSync(file("size.json"), JSON.stringify(size, null, 2) + "\n");
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const line = `wasm ${kb(size.wasm.raw)} (${kb(size.wasm.gzip)} gzipped) + JS ${kb(size.js.raw)} (${kb(size.js.gzip)} gzipped) = **${kb(size.total.gzip)} gzipped**`;
console.log(`mava-sdk size: ${line.replaceAll("**", "")}`);

// The biggest parts of the module (names come from the unoptimised bindgen output, whose
// functions wasm-opt shrinks but keeps in proportion).
try {
  const top = execFileSync("twiggy", ["top", "-n", "12", join(work, "mava_sdk_bg.wasm")], { encoding: "utf8" });
  console.log("top contributors (twiggy, before wasm-opt):\n" + top.split("\n").filter((l) => !/names. subsection/.test(l)).join("\n"));
} catch {
  console.log("(install twiggy to see the top contributors: cargo install twiggy)");
}

// Keep the README's figure current: the line between the size markers.
const readme = join(root, "README.md");
try {
  const text = readFileSync(readme, "utf8");
  const next = text.replace(/(<!-- size -->)[\s\S]*?(<!-- \/size -->)/, `$1${line}$2`);
  if (next !== text) writeFileSync(readme, next);
} catch {}
