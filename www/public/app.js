// The intake form: loads the categories, validates live with the same rules the Worker applies
// (form.js → mava-sdk's validate.mava.createTicket), shows each problem next to its field and
// announces the result of a submission in the role="status" element.
import { FIELDS, HONEYPOT, checkForm } from "./form.js";

const form = document.getElementById("intake");
const status = document.getElementById("status");
const names = Object.keys(FIELDS);
const touched = new Set();
let submitted = false;
let sending = false;

function values() {
  const out = {};
  for (const name of [...names, HONEYPOT]) out[name] = form.elements[name].value;
  return out;
}

/** Whether an issue should be visible yet: after the field was left or the form was sent. */
function visible(issue) {
  if (submitted) return true;
  if (issue.code === "TOO_LONG") return true; // typing more can't fix it: say so at once
  if (issue.code === "INVALID_CUSTOMER_MODE") return touched.has("email") && touched.has("walletAddress");
  return touched.has(issue.field);
}

/** Shows `issues` next to their fields; returns the fields that have one. */
function render(issues) {
  const byField = new Map();
  for (const issue of issues) {
    if (!issue.field || !(issue.field in FIELDS) || !visible(issue)) continue;
    const list = byField.get(issue.field) ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    byField.set(issue.field, list);
  }
  for (const name of names) {
    const text = (byField.get(name) ?? []).join(" ");
    const error = document.getElementById(`${name}-error`);
    if (error.textContent !== text) error.textContent = text;
    const control = form.elements[name];
    if (text) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    control.closest(".field").classList.toggle("invalid", Boolean(text));
  }
  return names.filter((n) => byField.has(n));
}

const check = () => render(checkForm(values()));

function say(kind, ...parts) {
  status.className = `status ${kind}`;
  status.replaceChildren(...parts);
}

function strong(text) {
  const el = document.createElement("strong");
  el.textContent = text;
  return el;
}

form.addEventListener("input", check);
form.addEventListener("change", (e) => {
  if (e.target.name in FIELDS) touched.add(e.target.name);
  check();
});
form.addEventListener("focusout", (e) => {
  if (e.target.name in FIELDS) {
    touched.add(e.target.name);
    check();
  }
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (sending) return;
  submitted = true;
  const data = values();
  const invalid = render(checkForm(data));
  if (invalid.length) {
    say("error", `Not sent: please correct ${invalid.length === 1 ? "the field" : `the ${invalid.length} fields`} marked below.`);
    form.elements[invalid[0]].focus();
    return;
  }
  sending = true;
  form.setAttribute("aria-busy", "true");
  say("pending", "Sending…");
  try {
    const res = await fetch("/api/tickets", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(data),
    });
    const body = await res.json().catch(() => ({}));
    handle(res, body);
  } catch {
    say("error", "Not sent: the server could not be reached. Check your connection and try again.");
  } finally {
    sending = false;
    form.removeAttribute("aria-busy");
  }
});

function handle(res, body) {
  if (res.status === 201 && typeof body.id === "string") {
    form.reset();
    touched.clear();
    submitted = false;
    render([]);
    say("success", "Thank you! Your request was received. Ticket id: ", strong(body.id));
    return;
  }
  if (res.status === 429) {
    const seconds = Number(res.headers.get("retry-after")) || body.retryAfter || 30;
    say("error", `Not sent: too many requests right now. Please try again in ${seconds} s.`);
    return;
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    say("error", "Not sent: our support desk is not answering right now. Your message is still here; please try again in a minute.");
    return;
  }
  if (res.status === 400 && Array.isArray(body.issues) && body.issues.length) {
    const invalid = render(body.issues);
    if (invalid.length) {
      say("error", `Not sent: please correct ${invalid.length === 1 ? "the field" : `the ${invalid.length} fields`} marked below.`);
      form.elements[invalid[0]].focus();
      return;
    }
  }
  say("error", `Not sent: ${body.error ?? `the server answered ${res.status}`}.`);
}

async function loadCategories() {
  const select = form.elements.category;
  const hint = document.getElementById("category-hint");
  try {
    const res = await fetch("/api/categories", { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(String(res.status));
    const { categories } = await res.json();
    for (const { id, name } of categories) select.add(new Option(name, id));
    hint.textContent = "Optional: helps us route your request.";
  } catch {
    hint.textContent = "Categories could not be loaded; you can send your request without one.";
  }
  select.dataset.loaded = "true";
}

loadCategories();
check();
