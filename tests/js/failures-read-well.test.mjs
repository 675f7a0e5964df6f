// What a user sees when something goes wrong, from the installed tarball: an uncaught error in
// Node prints a short source line before its stack (Node shows the throwing line first), the
// shipped JavaScript keeps short lines, and the tarball carries its README and LICENSE.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../sandbox/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const installed = join(here, "node_modules", "mava-sdk");
const work = join(here, ".failures");

function node(file, env) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [file], { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => done({ status, stderr }));
  });
}

/** What Node printed before the first stack frame of the error. */
const beforeStack = (stderr) => stderr.slice(0, stderr.search(/^\s+at /m));

describe("an uncaught error in Node prints a short line before its stack", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ port: 0, quiet: true, rateLimit: false });
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const cases = {
    "AuthenticationError (import, top-level await)": [
      "uncaught-401.mjs",
      `import { Mava } from "mava-sdk";\nconst mava = new Mava({ apiKey: "sandbox-key-wrong", baseUrl: process.env.URL });\nawait mava.getCategories();\n`,
      /AuthenticationError: GET \/api\/categories failed with 401/,
    ],
    "AuthenticationError (require, unhandled rejection)": [
      "uncaught-401.cjs",
      `const { Mava } = require("mava-sdk");\nnew Mava({ apiKey: "sandbox-key-wrong", baseUrl: process.env.URL }).getAgents();\n`,
      /AuthenticationError: GET \/api\/agents failed with 401/,
    ],
    "ValidationError at construction (no key)": [
      "uncaught-no-key.mjs",
      `import { Mava } from "mava-sdk";\nnew Mava({ apiKey: process.env.NO_SUCH_VARIABLE });\n`,
      /ValidationError: .*apiKey/,
    ],
  };
  for (const [name, [file, code, message]] of Object.entries(cases)) {
    test(name, async () => {
      writeFileSync(join(work, file), code);
      const { status, stderr } = await node(join(work, file), { URL: sandbox.url });
      assert.equal(status, 1, stderr);
      assert.match(stderr, message);
      const head = beforeStack(stderr);
      assert.ok(Buffer.byteLength(head) < 2048, `${Buffer.byteLength(head)} bytes before the stack:\n${head.slice(0, 600)}`);
      const longest = Math.max(...head.split("\n").map((l) => l.length));
      assert.ok(longest <= 400, `a line of ${longest} characters before the stack:\n${head.slice(0, 600)}`);
    });
  }
});

describe("the tarball", () => {
  test("keeps the shipped JavaScript's lines short (the inlined wasm's one line of data aside)", () => {
    for (const file of readdirSync(installed).filter((f) => /\.c?js$/.test(f))) {
      const lines = readFileSync(join(installed, file), "utf8").split("\n");
      const long = lines.map((l, i) => [i + 1, l]).filter(([, l]) => l.length > 220 && !/^var wasm_base64_default = "[A-Za-z0-9+/=]+";$/.test(l));
      assert.deepEqual(long.map(([n, l]) => `${file}:${n} (${l.length}): ${l.slice(0, 80)}…`), []);
    }
  });

  test("npm pack --dry-run lists README.md and LICENSE, and every file the exports name", () => {
    const pkg = join(root, "pkg");
    assert.ok(existsSync(join(pkg, "package.json")), "build pkg/ first (node scripts/build.mjs)");
    const [{ files }] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", pkg], { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const paths = new Set(files.map((f) => f.path));
    for (const name of ["README.md", "LICENSE", "package.json"]) assert.ok(paths.has(name), `npm pack lists no ${name}: ${[...paths].join(", ")}`);
    const targets = new Set();
    const walk = (v) => (typeof v === "string" ? targets.add(v.replace(/^\.\//, "")) : Object.values(v).forEach(walk));
    walk(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).exports);
    for (const target of targets) assert.ok(paths.has(target), `exports names ${target}, which npm pack leaves out`);
  });

  test("the installed package has a README for npm users and the MIT LICENSE", () => {
    const readme = readFileSync(join(installed, "README.md"), "utf8");
    assert.match(readme, /npm install mava-sdk/);
    assert.match(readFileSync(join(installed, "LICENSE"), "utf8"), /^MIT License/);
  });
});
