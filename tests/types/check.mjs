#!/usr/bin/env node
// Checks the package's TypeScript types the way a user meets them: packs pkg/ (or takes a
// tarball), installs it into a scratch project (tests/types/.scratch/project), and there
//   1. compiles consumer.ts, negative.ts, fixtures.ts, run.ts and consumer-cjs.cts with
//      `tsc --strict` under nodenext resolution, then the ES module files under bundler
//      resolution (with exactOptionalPropertyTypes); negative.ts's `@ts-expect-error` lines
//      fail the build if they stop erroring;
//   2. checks that each expected error is a real type error, not a broken test (an unknown
//      name or module) — `--explain` prints the compiler's message for every negative line;
//   3. scans the installed .d.ts files for `any`;
//   4. emits the files and runs run.ts: valid inputs pass the package's own validation, each
//      error class has its declared fields, and every rejected call also fails at run time;
//   5. runs attw on the tarball (no rule ignored) and a require smoke test;
//   6. runs publint on the installed package.
// Prints a summary and exits 1 on any failure.
//
//   node tests/types/check.mjs                  # packs pkg/ (run `node scripts/build.mjs` first)
//   node tests/types/check.mjs path/to/mava-sdk-0.1.0.tgz
//   node tests/types/check.mjs --sources        # pkg/ with the types rebuilt from pkg-template/
//                                               # and `cargo run --bin gen_types` (no wasm build)
//   node tests/types/check.mjs --explain        # also print why each negative line fails
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const scratch = join(here, ".scratch");
const project = join(scratch, "project");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const tarballArg = args.find((a) => !a.startsWith("--"));

/**
 * attw ignores no rule: `require` has real CommonJS types (index.d.cts for index.cjs), and Node's
 * require(esm) of node.js (the `module-sync` condition) has the same named exports; the attw
 * step also runs `require("mava-sdk")` on this Node.
 */
const ATTW_IGNORE = [];
/**
 * Compiler errors that mean a negative test is broken rather than proving anything: an unknown
 * name, module or export, or a syntax error.
 */
const BROKEN = new Set([1005, 1109, 1128, 2304, 2305, 2307, 2552, 2724, 2614]);

const results = [];
function step(name, fn) {
  const start = Date.now();
  let ok = false;
  let note = "";
  try {
    note = fn() ?? "";
    ok = true;
  } catch (e) {
    note = e instanceof StepError ? e.message : String(e?.stack ?? e);
  }
  results.push({ name, ok, ms: Date.now() - start, note });
  console.log(`${ok ? "ok  " : "FAIL"} ${name} (${Date.now() - start} ms)${note ? `\n${indent(note)}` : ""}`);
  return ok;
}
class StepError extends Error {}
const indent = (text) => text.trimEnd().split("\n").map((l) => `     ${l}`).join("\n");

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`, stdout: r.stdout ?? "" };
}
function must(r, what) {
  if (r.code !== 0) throw new StepError(`${what} exited with ${r.code}\n${r.out}`);
  return r;
}

// ------------------------------------------------------------------ the tarball

let tarball = tarballArg && resolve(tarballArg);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

if (!tarball) {
  step(flag("--sources") ? "pack pkg/ with the types rebuilt from the sources" : "pack pkg/", () => {
    let dir = join(root, "pkg");
    if (!existsSync(join(dir, "mava_sdk_bg.wasm"))) throw new StepError("pkg/ is not built: run `node scripts/build.mjs` first");
    if (flag("--sources")) {
      const staged = join(scratch, "pkg");
      cpSync(dir, staged, { recursive: true });
      for (const f of readdirSync(join(root, "pkg-template")).filter((f) => f.endsWith(".d.ts"))) {
        cpSync(join(root, "pkg-template", f), join(staged, f));
      }
      const gen = must(run("cargo", ["run", "--quiet", "--bin", "gen_types"], { cwd: root }), "cargo run --bin gen_types");
      writeFileSync(join(staged, "calls.d.ts"), gen.stdout);
      dir = staged;
    }
    const packed = must(run("npm", ["pack", dir, "--pack-destination", scratch, "--silent"], { cwd: scratch }), "npm pack");
    tarball = join(scratch, packed.stdout.trim().split("\n").pop());
    return tarball.replace(root + "/", "");
  });
}
if (!tarball || !existsSync(tarball)) finish();

// ------------------------------------------------------------------ the scratch project

const installed = join(project, "node_modules", "mava-sdk");
step("install the tarball into tests/types/.scratch/project", () => {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "mava-sdk-types-consumer", private: true, type: "module" }, null, 2) + "\n",
  );
  must(
    run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: project }),
    "npm install",
  );
  for (const f of readdirSync(here)) {
    if (/\.(ts|cts|json)$/.test(f)) cpSync(join(here, f), join(project, f));
  }
  const version = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version;
  return `mava-sdk@${version}`;
});

const tsc = (argv) => run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), ...argv], { cwd: project });
const tsVersion = tsc(["--version"]).stdout.trim();

step(`tsc --strict, nodenext (${tsVersion}): consumer.ts, negative.ts, run.ts, fixtures.ts, consumer-cjs.cts`, () => {
  must(tsc(["-p", "tsconfig.json", "--pretty", "false"]), "tsc");
});
step("tsc --strict, bundler resolution, exactOptionalPropertyTypes", () => {
  must(tsc(["-p", "tsconfig.bundler.json", "--pretty", "false"]), "tsc");
});

step("negative.ts: every @ts-expect-error line is a real type error", () => {
  // Compile a copy without the expectations and map each error to the line it expects.
  const source = readFileSync(join(project, "negative.ts"), "utf8").split("\n");
  const expected = new Map();
  source.forEach((line, i) => {
    const m = /^\s*\/\/ @ts-expect-error\s*(.*)$/.exec(line);
    if (m) expected.set(i + 2, m[1]); // 1-based line of the statement after it
  });
  writeFileSync(join(project, "negative.unmarked.ts"), source.map((l) => l.replace("// @ts-expect-error", "// expect-error")).join("\n"));
  writeFileSync(
    join(project, "tsconfig.unmarked.json"),
    JSON.stringify({ extends: "./tsconfig.json", files: ["negative.unmarked.ts"] }),
  );
  const r = tsc(["-p", "tsconfig.unmarked.json", "--pretty", "false"]);
  const errors = new Map();
  for (const m of r.out.matchAll(/^negative\.unmarked\.ts\((\d+),\d+\): error TS(\d+): (.*)$/gm)) {
    const line = Number(m[1]);
    if (!errors.has(line)) errors.set(line, []);
    errors.get(line).push({ code: Number(m[2]), text: m[3] });
  }
  const problems = [];
  const lines = [];
  for (const [line, why] of expected) {
    const found = errors.get(line) ?? [];
    if (found.length === 0) problems.push(`line ${line} (${why}): no error`);
    const broken = found.filter((e) => BROKEN.has(e.code));
    if (broken.length) problems.push(`line ${line} (${why}): broken test: TS${broken[0].code} ${broken[0].text}`);
    lines.push(`${String(line).padStart(3)} ${why}\n      TS${found[0]?.code}: ${found[0]?.text ?? "-"}`);
  }
  for (const line of errors.keys()) if (!expected.has(line)) problems.push(`line ${line}: an error nobody expects`);
  if (problems.length) throw new StepError(problems.join("\n"));
  return `${expected.size} expected errors, each a type error${flag("--explain") ? `\n${lines.join("\n")}` : ""}`;
});

step("no `any` in the published declarations", () => {
  const ts = createRequire(join(root, "package.json"))("typescript");
  const found = [];
  const files = readdirSync(installed).filter((f) => f.endsWith(".d.ts"));
  for (const f of files) {
    const text = readFileSync(join(installed, f), "utf8");
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${f}:${line + 1}: ${text.split("\n")[line].trim()}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  if (found.length) throw new StepError(found.join("\n"));
  return `${files.join(", ")}: none`;
});

step("run.ts: valid inputs validate, errors carry their declared fields, rejected calls fail at run time", () => {
  must(tsc(["-p", "tsconfig.json", "--noEmit", "false", "--outDir", "out"]), "tsc (emit)");
  const r = run(process.execPath, [join(project, "out", "run.js")], { cwd: project });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  let summary;
  try {
    summary = JSON.parse(line);
  } catch {
    throw new StepError(`run.js printed no summary (exit ${r.code})\n${r.out}`);
  }
  if (!summary.ok || r.code !== 0) throw new StepError(`${summary.failures.join("\n")}\n${r.out.includes("\n") ? r.out : ""}`);
  const v = summary.validCalls;
  return `${v.mavaRequests} Mava requests and ${v.mavibotActions} Mavibot actions sent with valid input; ${summary.errorClasses} errors checked; ${summary.negativesRun} wrong calls rejected`;
});

step(`attw ${tarball.replace(root + "/", "")}${ATTW_IGNORE.length ? ` --ignore-rules ${ATTW_IGNORE.join(" ")}` : ""}`, () => {
  const r = run(bin("attw"), [tarball, ...(ATTW_IGNORE.length ? ["--ignore-rules", ...ATTW_IGNORE] : []), "--format", "table-flipped", "--no-color"], { cwd: scratch });
  if (r.code !== 0) throw new StepError(r.out);
  // require("mava-sdk") loads on this Node (node.js through module-sync, require(esm)).
  const smoke = run(process.execPath, ["-e", "const m = require('mava-sdk'); if (typeof m.Mava !== 'function' || typeof m.validate.mava.createTicket !== 'function') process.exit(1);"], { cwd: project });
  if (smoke.code !== 0) throw new StepError(`require("mava-sdk") failed on Node ${process.version}\n${smoke.out}`);
  return `${r.out.trim()}\nrequire("mava-sdk") works on Node ${process.version} (require(esm))`;
});

step("publint --strict (installed package)", () => {
  const r = run(bin("publint"), ["run", installed, "--strict", "--pack", "false"], { cwd: project });
  if (r.code !== 0) throw new StepError(r.out);
  return r.out.replace(/^Running publint.*\n/m, "").trim();
});

finish();

function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length}/${results.length} checks passed${failed.length ? `; failed: ${failed.map((r) => r.name).join("; ")}` : ""}`);
  process.exit(failed.length || results.length === 0 ? 1 : 0);
}
