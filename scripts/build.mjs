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

// Its own target directory keeps the release build apart from the tests' debug builds.
run("cargo", ["build", "--release", "--lib", "--target", "wasm32-unknown-unknown", "--quiet"], {
  env: { ...process.env, CARGO_TARGET_DIR: join(root, "target", "package") },
});
rmSync(work, { recursive: true, force: true });
run("wasm-bindgen", [
  "target/package/wasm32-unknown-unknown/release/mava_sdk.wasm",
  "--target", "web", "--weak-refs", "--out-dir", work, "--out-name", "mava_sdk",
]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
const features = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
];
run(join(root, "node_modules", ".bin", "wasm-opt"), [
  "-Oz", "--converge", ...features, join(work, "mava_sdk_bg.wasm"), "-o", join(work, "optimized.wasm"),
]);
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and keeps long export names;
// the hashes don't compress. wasm-opt renames imports, exports and the module to a letter or
// two and prints the mapping, which renameGlue applies to the JS glue.
const mapping = JSON.parse(execFileSync(join(root, "node_modules", ".bin", "wasm-opt"), [
  "--minify-imports-and-exports-and-modules", "--strip-producers", "--strip-target-features", ...features,
  join(work, "optimized.wasm"), "-o", join(pkg, "mava_sdk_bg.wasm"),
], { cwd: root, encoding: "utf8" }));
const glue = renameGlue(readFileSync(join(work, "mava_sdk.js"), "utf8"), mapping, join(pkg, "mava_sdk_bg.wasm"));
// Each runtime entry becomes one self-contained module: entry, bindgen glue, transport and
// facade bundled and minified together (one file gzips smaller than four, and names are
// shortened across them). The facade gives its exported classes their names explicitly.
const stage = join(root, ".build", "js");
rmSync(stage, { recursive: true, force: true });
cpSync(join(root, "pkg-template"), stage, { recursive: true });
writeFileSync(join(stage, "mava_sdk.js"), glue);
const entries = ["node.js", "browser.js", "workerd.js"];
const { build } = await import("esbuild");
await build({
  entryPoints: entries.map((e) => join(stage, e)), outdir: pkg, bundle: true, minify: true, format: "esm",
  target: "es2022", external: ["node:*", "*.wasm"], legalComments: "none", logLevel: "warning",
});
for (const name of readdirSync(join(root, "pkg-template")).filter((n) => !n.endsWith(".js"))) {
  cpSync(join(root, "pkg-template", name), join(pkg, name));
}
// Input types and method signatures come from the Rust call descriptions.
writeFileSync(join(pkg, "calls.d.ts"), execFileSync("cargo", ["run", "--quiet", "--bin", "gen_types"], { cwd: root, encoding: "utf8" }));

// What an app loads: the wasm and one entry (the largest).
const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const raw = (f) => statSync(f).size;
const file = (n) => join(pkg, n);
const js = [entries.reduce((a, b) => (gz(file(a)) >= gz(file(b)) ? a : b))];
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
  const next = text
    .replace(/(<!-- size -->)[\s\S]*?(<!-- \/size -->)/, `$1${line}$2`)
    .replace(/(<!-- size-total -->)[\s\S]*?(<!-- \/size-total -->)/, `$1${(size.total.gzip / 1024).toFixed(1)}$2`);
  if (next !== text) writeFileSync(readme, next);
} catch {}

/**
 * The glue with wasm-opt's renaming applied: the import object's module key and function keys,
 * and every `wasm.<export>`. Throws if an old name survives.
 */
function renameGlue(code, { imports, exports }, wasmFile) {
  const escape = (name) => name.replace(/[$]/g, "\\$");
  const word = (name) => new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g");
  const member = (name) => new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, "g");
  for (const [, name, renamed] of imports) code = code.replace(word(name), renamed);
  for (const [name, renamed] of exports) code = code.replace(member(name), `wasm.${renamed}`);
  // The module's new name, as the renamed wasm imports it.
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmFile))).map((i) => i.module));
  const [from] = new Set(imports.map(([module]) => module));
  if (modules.size !== 1) throw new Error(`renameGlue: expected one import module, found ${[...modules]}`);
  code = code.replaceAll(JSON.stringify(from), JSON.stringify([...modules][0]));
  const left = [...imports.map(([, name]) => word(name)), ...exports.map(([name]) => member(name))].filter((re) => re.test(code));
  if (left.length || code.includes(from)) throw new Error(`renameGlue: old names survive: ${left.join(", ")}`);
  return code;
}
