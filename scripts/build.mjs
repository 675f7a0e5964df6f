#!/usr/bin/env node
// Builds the npm package into pkg/: cargo (wasm32, release) → wasm-bindgen --target web →
// wasm-opt -Oz (npm binaryen, never Debian's: it corrupts wasm-bindgen output) → the files
// of pkg-template/. Prints the size of what an app loads, raw and gzipped, every time, and
// writes it to pkg/size.json and the README's size line.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, relative } from "node:path";
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
// Each runtime entry becomes one self-contained module: entry, bindgen glue and facade bundled
// together (one file gzips smaller than three). Not minified: names and lines stay as written,
// so a stack trace reads and an uncaught error shows one short source line (Node prints the
// throwing line first; minified, that line was the whole 13 KB module). What minifying would
// save is measured and printed on every build.
const stage = join(root, ".build", "js");
rmSync(stage, { recursive: true, force: true });
cpSync(join(root, "pkg-template"), stage, { recursive: true });
writeFileSync(join(stage, "mava_sdk.js"), glue);
// The inline entries carry the module as base64: one line of data, nothing that can throw.
const wasmBytes = readFileSync(join(pkg, "mava_sdk_bg.wasm"));
writeFileSync(join(stage, "wasm-base64.js"), `// The wasm module (mava_sdk_bg.wasm), base64.\nexport default "${wasmBytes.toString("base64")}";\n`);
const { build } = await import("esbuild");
const common = { bundle: true, target: "es2022", external: ["node:*", "*.wasm"], legalComments: "none", logLevel: "warning", charset: "utf8" };
// ES modules: the asset-URL entry (webpack, pages without a bundler), workerd's, and the inline one.
const esm = await build({
  ...common, format: "esm", outdir: pkg, metafile: true,
  entryPoints: { browser: join(stage, "browser.js"), workerd: join(stage, "workerd.js"), index: join(stage, "inline.js") },
});
// CommonJS: the inline entry for `require` (Node, Jest's default mode, bundlers' require()).
// (The glue's init(), unused and dropped, reads import.meta.url: nothing to warn about.)
await build({
  ...common, format: "cjs", platform: "neutral", logOverride: { "empty-import-meta": "silent" },
  entryPoints: { index: join(stage, "inline.js") }, outdir: pkg, outExtension: { ".js": ".cjs" },
});
// Node, Deno and Bun: the ES module with the wasm inlined, for `import` and, through the
// `module-sync` condition, for `require` too (require(esm), Node >= 20.19), so both give one
// module instance. Jest and older tools that `require` get index.cjs.
const names = esm.metafile.outputs[relative(root, join(pkg, "index.js"))].exports;
if (!names.includes("Mava") || !names.includes("validate")) throw new Error(`unexpected exports of index.js: ${names}`);
writeFileSync(join(pkg, "node.js"), `// Entry for Node, Deno and Bun (\`import\`, and \`require\` through the module-sync condition):
// the ES module with the wasm inlined. One module for both, so \`instanceof\` holds between them.
export * from "./index.js";
`);
// What minifying would save, gzipped (with the wasm inlined the figure is the same).
const minified = await build({ ...common, format: "esm", write: false, minify: true, entryPoints: [join(stage, "browser.js")] });
const minifySaves = gzipSync(readFileSync(join(pkg, "browser.js")), { level: 9 }).length - gzipSync(minified.outputFiles[0].contents, { level: 9 }).length;
console.log(`not minified: minifying would save ${minifySaves} bytes of browser.js gzipped`);
for (const name of readdirSync(join(root, "pkg-template")).filter((n) => !n.endsWith(".js"))) {
  cpSync(join(root, "pkg-template", name), join(pkg, name));
}
cpSync(join(root, "LICENSE"), join(pkg, "LICENSE"));
// Input types and method signatures come from the Rust call descriptions. `require` gets the
// same declarations as CommonJS ones (.d.cts), as TypeScript expects for a CommonJS file.
const callTypes = execFileSync("cargo", ["run", "--quiet", "--bin", "gen_types"], { cwd: root, encoding: "utf8" });
writeFileSync(join(pkg, "calls.d.ts"), callTypes);
writeFileSync(join(pkg, "calls.d.cts"), callTypes.replaceAll('from "./index.js"', 'from "./index.cjs"'));
writeFileSync(join(pkg, "index.d.cts"), readFileSync(join(pkg, "index.d.ts"), "utf8").replaceAll('from "./calls.js"', 'from "./calls.cjs"'));

// What an app loads: the wasm and the asset-URL entry (webpack, Next.js, a page without a
// bundler), or the entry with the wasm inlined (Vite, esbuild, Rollup, Node, test runners).
const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const raw = (f) => statSync(f).size;
const file = (n) => join(pkg, n);
const size = {
  wasm: { raw: raw(file("mava_sdk_bg.wasm")), gzip: gz(file("mava_sdk_bg.wasm")) },
  js: { raw: raw(file("browser.js")), gzip: gz(file("browser.js")) },
  inline: { raw: raw(file("index.js")), gzip: gz(file("index.js")) },
};
size.total = { raw: size.wasm.raw + size.js.raw, gzip: size.wasm.gzip + size.js.gzip };
writeFileSync(file("size.json"), JSON.stringify(size, null, 2) + "\n");
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const line = `wasm ${kb(size.wasm.raw)} (${kb(size.wasm.gzip)} gzipped) + JS ${kb(size.js.raw)} (${kb(size.js.gzip)} gzipped) = **${kb(size.total.gzip)} gzipped**; ` +
  `with the wasm inlined (index.js) ${kb(size.inline.raw)}, **${kb(size.inline.gzip)} gzipped**`;
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
    .replace(/(<!-- size-total -->)[\s\S]*?(<!-- \/size-total -->)/, `$1${(size.total.gzip / 1024).toFixed(1)}$2`)
    .replace(/(<!-- size-asset -->)[\s\S]*?(<!-- \/size-asset -->)/g, `$1${(size.total.gzip / 1024).toFixed(1)}$2`)
    .replace(/(<!-- size-inline -->)[\s\S]*?(<!-- \/size-inline -->)/g, `$1${(size.inline.gzip / 1024).toFixed(1)}$2`);
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
