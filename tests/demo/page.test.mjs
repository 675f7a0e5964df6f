// The intake page in Debian's Chromium (playwright-core, headless) against the real Worker in
// workerd and the sandbox: live validation, keyboard-only use, a real submission, error
// states, the API key's absence from everything the browser received, and screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { useDemo, launchChromium, control, sandboxTickets, sandboxCustomer, activeCategories, fault, artifact, KEY } from "./helpers.mjs";

const ctx = useDemo("page");
let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** A fresh page with the form ready (categories loaded); page errors fail the test. */
async function openForm(t, { viewport = { width: 1000, height: 1100 }, expectFailedLoads = false } = {}) {
  const context = await browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // The browser itself logs each 4xx/5xx answer to fetch(); tests that provoke them say so.
    if (m.type() === "error" && !(expectFailedLoads && /^Failed to load resource/.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  t.after(() => assert.deepEqual(problems, [], "the page logged errors"));
  await page.goto(ctx.url);
  await page.locator("#category[data-loaded]").waitFor({ state: "attached" });
  return page;
}

const text = (page, selector) => page.locator(selector).textContent();

/** Waits until `selector`'s text matches `pattern`; returns the text. */
async function waitForText(page, selector, pattern) {
  const handle = await page.waitForFunction(
    ([sel, source, flags]) => {
      const t = document.querySelector(sel)?.textContent ?? "";
      return new RegExp(source, flags).test(t) ? { t } : false;
    },
    [selector, pattern.source, pattern.flags],
  );
  return (await handle.jsonValue()).t;
}

test("validates live: a bad e-mail, a bad wallet, a message of 10,001 characters", async (t) => {
  const page = await openForm(t);
  for (const id of ["email", "walletAddress", "message"]) assert.equal(await text(page, `#${id}-error`), "");

  await page.fill("#email", "ann@example");
  await page.press("#email", "Tab");
  const emailError = await waitForText(page, "#email-error", /valid e-mail address/);
  assert.match(emailError, /name@example\.com/);
  assert.equal(await page.getAttribute("#email", "aria-invalid"), "true");

  await page.fill("#walletAddress", "0x12345");
  await page.press("#walletAddress", "Tab");
  assert.match(await waitForText(page, "#walletAddress-error", /0x followed by 40 hexadecimal/), /wallet address/i);
  assert.equal(await page.getAttribute("#walletAddress", "aria-invalid"), "true");

  // Too long shows while typing, without leaving the field.
  await page.fill("#message", "x".repeat(10_001));
  assert.match(await waitForText(page, "#message-error", /too long/), /10,001 characters, at most 10,000/);
  assert.equal(await page.getAttribute("#message", "aria-invalid"), "true");

  // Fixing a field clears its error live.
  await page.fill("#email", "ann@example.com");
  await waitForText(page, "#email-error", /^$/);
  assert.equal(await page.getAttribute("#email", "aria-invalid"), null);
  await page.fill("#message", "x".repeat(10_000));
  await waitForText(page, "#message-error", /^$/);
  assert.match(await text(page, "#walletAddress-error"), /hexadecimal/);

  // The errors are announced: live regions, tied to their controls.
  for (const id of ["email", "walletAddress", "message"]) {
    assert.equal(await page.getAttribute(`#${id}-error`, "aria-live"), "polite");
    assert.ok((await page.getAttribute(`#${id}`, "aria-describedby")).split(" ").includes(`${id}-error`));
  }
});

test("a submission with problems is not sent; the first bad field gets focus", async (t) => {
  const page = await openForm(t);
  await page.click("button[type=submit]");
  assert.match(await waitForText(page, "#status", /Not sent/), /2 fields/);
  assert.match(await text(page, "#email-error"), /e-mail address or a wallet address/);
  assert.match(await text(page, "#message-error"), /Write a message/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");
  assert.equal((await sandboxTickets(ctx)).filter((x) => x.sandbox.origin === "api").length, 0);
});

test("keyboard only: Tab, typing and Enter create the ticket; its id is announced", async (t) => {
  const page = await openForm(t);
  const [first] = await activeCategories(ctx);
  const kb = page.keyboard;
  await kb.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), "name");
  await kb.type("Kim Keyboard");
  await kb.press("Tab");
  await kb.type("kim@example.com");
  await kb.press("Tab"); // wallet address: left empty
  await kb.press("Tab");
  await kb.type("Keyboard only");
  await kb.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), "category");
  await kb.press("ArrowDown"); // the first category
  await kb.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), "priority");
  await kb.press("ArrowDown"); // Medium → High
  await kb.press("Tab");
  await kb.type("Typed without a mouse.");
  await kb.press("Tab"); // the honeypot is skipped (tabindex -1)
  assert.equal(await page.evaluate(() => document.activeElement.type), "submit");
  await kb.press("Enter");

  const status = await waitForText(page, "#status", /Ticket id: [0-9a-f]{24}/);
  const id = /Ticket id: ([0-9a-f]{24})/.exec(status)[1];
  assert.equal(await page.getAttribute("#status", "role"), "status");
  const ticket = (await sandboxTickets(ctx)).find((x) => x._id === id);
  assert.ok(ticket, "the ticket exists in the sandbox");
  assert.equal(ticket.customer.email, "kim@example.com");
  assert.equal((await sandboxCustomer(ctx, ticket.customer._id)).name, "Kim Keyboard");
  assert.equal(ticket.emailSubjectLine, "Keyboard only");
  assert.equal(ticket.category?._id, first._id);
  assert.equal(ticket.priority, 3);
  assert.equal(ticket.messages[0].content, "Typed without a mouse.");
});

test("a submission: screenshots, the ticket in the sandbox, and the API key in nothing the browser received", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const bodies = [];
  page.on("response", (res) => {
    bodies.push(
      res.body().then(
        (body) => ({ url: res.url(), status: res.status(), type: res.headers()["content-type"] ?? "", headers: JSON.stringify(res.headers()), body }),
        () => ({ url: res.url(), status: res.status(), type: "", headers: JSON.stringify(res.headers()), body: Buffer.alloc(0) }),
      ),
    );
  });
  await page.goto(ctx.url);
  await page.locator("#category[data-loaded]").waitFor({ state: "attached" });
  const categories = await activeCategories(ctx);
  const category = categories[1];

  await page.fill("#name", "Ann Example");
  await page.fill("#email", "ann@example.com");
  await page.fill("#subject", "Cannot withdraw to my wallet");
  await page.selectOption("#category", category._id);
  await page.selectOption("#priority", "3");
  await page.fill("#message", "Hi! Since this morning every withdrawal to my wallet fails with “network busy”. Can you help?");
  await page.locator("#message").blur();
  await page.screenshot({ path: artifact("demo-form-filled.png"), fullPage: true });

  await page.click("button[type=submit]");
  const status = await waitForText(page, "#status", /Ticket id: [0-9a-f]{24}/);
  const id = /Ticket id: ([0-9a-f]{24})/.exec(status)[1];
  await page.screenshot({ path: artifact("demo-form-success.png"), fullPage: true });
  assert.equal(await page.inputValue("#message"), "", "the form is cleared after success");

  const ticket = (await sandboxTickets(ctx)).find((x) => x._id === id);
  assert.ok(ticket);
  assert.equal(ticket.customer.email, "ann@example.com");
  assert.equal((await sandboxCustomer(ctx, ticket.customer._id)).name, "Ann Example");
  assert.equal(ticket.emailSubjectLine, "Cannot withdraw to my wallet");
  assert.equal(ticket.category._id, category._id);
  assert.equal(ticket.priority, 3);
  assert.match(ticket.messages[0].content, /network busy/);

  const received = await Promise.all(bodies);
  const urls = received.map((r) => new URL(r.url).pathname);
  for (const expected of ["/", "/app.js", "/form.js", "/style.css", "/mava-sdk/browser.js", "/mava-sdk/mava_sdk_bg.wasm", "/api/categories", "/api/tickets"]) {
    assert.ok(urls.includes(expected), `${expected} was loaded`);
  }
  const wasm = received.find((r) => r.url.endsWith(".wasm"));
  assert.equal(wasm.type, "application/wasm");
  assert.ok(wasm.body.length > 1000);
  const needle = Buffer.from(KEY);
  for (const r of received) {
    assert.ok(!r.body.includes(needle), `the API key is in the body of ${r.url}`);
    assert.ok(!r.headers.includes(KEY), `the API key is in the headers of ${r.url}`);
  }
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + document.documentElement.outerHTML);
  assert.ok(!storage.includes(KEY));

  // Page weight: what the page loads before anyone types (HTML, CSS, JS, wasm), gzip -9.
  const assets = received.filter((r) => !new URL(r.url).pathname.startsWith("/api/"));
  const weight = assets.map((r) => ({ path: new URL(r.url).pathname, bytes: r.body.length, gzip: gzipSync(r.body, { level: 9 }).length }));
  const total = weight.reduce((s, w) => ({ bytes: s.bytes + w.bytes, gzip: s.gzip + w.gzip }), { bytes: 0, gzip: 0 });
  writeFileSync(artifact("demo-page-weight.json"), JSON.stringify({ files: weight, total }, null, 2) + "\n");
  t.diagnostic(`page weight: ${(total.gzip / 1024).toFixed(1)} KB gzipped (${(total.bytes / 1024).toFixed(1)} KB raw) in ${weight.length} files`);
});

test("Mava's rate limit is shown as 'try again in N s'; its failure as a clear message", async (t) => {
  const page = await openForm(t, { expectFailedLoads: true });
  await page.fill("#email", "ann@example.com");
  await page.fill("#message", "Rate limited?");
  await fault(ctx, { kind: "status", status: 429, retryAfter: "7", count: 3, match: { method: "POST", path: "/api/ticket" } });
  await page.click("button[type=submit]");
  assert.match(await waitForText(page, "#status", /Not sent/), /try again in 7 s/);
  assert.equal(await page.inputValue("#message"), "Rate limited?", "the message is kept");

  await control(ctx, "DELETE", "/__sandbox/faults");
  await fault(ctx, { kind: "status", status: 500, count: 3, match: { method: "POST", path: "/api/ticket" } });
  await page.click("button[type=submit]");
  assert.match(await waitForText(page, "#status", /not answering/), /try again/);
  assert.equal((await sandboxTickets(ctx)).filter((x) => x.sandbox.origin === "api").length, 0);
});

test("accessible and responsive: labelled controls, a hidden honeypot, no sideways scrolling on a phone", async (t) => {
  const page = await openForm(t, { viewport: { width: 360, height: 780 } });
  const report = await page.evaluate(() => {
    const controls = [...document.querySelectorAll("#intake input, #intake select, #intake textarea")];
    return {
      unlabelled: controls.filter((c) => c.name !== "website" && !c.labels?.length).map((c) => c.name),
      names: controls.map((c) => c.name),
      honeypot: (() => {
        const hp = document.querySelector("[name=website]");
        const box = hp.getBoundingClientRect();
        return { tabIndex: hp.tabIndex, hidden: hp.closest("[aria-hidden=true]") !== null, offscreen: box.right <= 0 || box.width <= 1 };
      })(),
      statusRole: document.getElementById("status").getAttribute("role"),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
  assert.deepEqual(report.unlabelled, []);
  assert.deepEqual(report.names, ["name", "email", "walletAddress", "subject", "category", "priority", "message", "website"]);
  assert.deepEqual(report.honeypot, { tabIndex: -1, hidden: true, offscreen: true });
  assert.equal(report.statusRole, "status");
  assert.ok(report.overflow <= 0, `the page scrolls sideways by ${report.overflow}px`);
  await page.screenshot({ path: artifact("demo-form-phone.png"), fullPage: true });
});
