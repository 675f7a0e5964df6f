// The intake form's rules, shared by the page (live validation) and the Worker (which checks
// every submission again: the browser is never trusted). The form's fields are flat strings
// named after what they fill; `toTicketInput` turns them into the SDK's createTicket input
// and `checkForm` reports every problem against the form field it belongs to.
import { validate } from "mava-sdk";

/** The form controls, in page order, each with the createTicket path it fills. */
export const FIELDS = Object.freeze({
  name: { path: "customer.name", label: "Name" },
  email: { path: "customer.email", label: "E-mail address" },
  walletAddress: { path: "customer.walletAddress", label: "Wallet address" },
  subject: { path: "emailSubjectLine", label: "Subject" },
  category: { path: "category", label: "Category" },
  priority: { path: "priority", label: "Priority" },
  message: { path: "message.content", label: "Message" },
});

/** The hidden field people never fill; a value in it marks the submission as automated. */
export const HONEYPOT = "website";

/** SDK issue path → form field. `customer` (neither e-mail nor wallet) belongs to `email`. */
const PATH_TO_FIELD = new Map([
  ["customer", "email"],
  ["message", "message"],
  ...Object.entries(FIELDS).map(([field, { path }]) => [path, field]),
]);

export function fieldOf(path) {
  return PATH_TO_FIELD.get(path) ?? null;
}

/**
 * Normalises a submission (a form's values or a parsed JSON body) to `{ values, issues }`:
 * every known field as a string (missing ones empty), plus an issue for each field that is
 * unknown or has the wrong type. `priority` may also be a number.
 */
export function readFields(data) {
  const values = Object.fromEntries([...Object.keys(FIELDS), HONEYPOT].map((k) => [k, ""]));
  const issues = [];
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    issues.push({ field: null, path: "", code: "INVALID_TYPE", message: "The request must be a JSON object of form fields." });
    return { values, issues };
  }
  for (const [key, value] of Object.entries(data)) {
    if (!(key in values)) {
      issues.push({ field: null, path: key, code: "UNKNOWN_FIELD", message: `"${key}" is not a field of this form.` });
    } else if (value === null || value === undefined) {
      values[key] = "";
    } else if (typeof value === "string" || (key === "priority" && typeof value === "number")) {
      values[key] = String(value);
    } else {
      const label = FIELDS[key]?.label ?? key;
      issues.push({ field: key in FIELDS ? key : null, path: FIELDS[key]?.path ?? key, code: "INVALID_TYPE", message: `${label} must be text.` });
    }
  }
  return { values, issues };
}

/** The createTicket input for the form's values; empty optional fields are left out. */
export function toTicketInput(values) {
  const customer = {};
  const name = values.name.trim();
  const email = values.email.trim();
  const wallet = values.walletAddress.trim();
  if (name) customer.name = name;
  if (email) customer.email = email;
  if (wallet) customer.walletAddress = wallet;
  const input = { customer };
  const subject = values.subject.trim();
  if (subject) input.emailSubjectLine = subject;
  if (values.category) input.category = values.category;
  const priority = values.priority.trim();
  if (priority) input.priority = /^-?\d+(\.\d+)?$/.test(priority) ? Number(priority) : priority;
  input.message = { content: values.message };
  return input;
}

/**
 * Every problem with the form's values, as `[{ field, path, code, message }]` (`field` is the
 * form control's name, or null for the whole form; `message` is written for people). The rules
 * are the SDK's (`validate.mava.createTicket`) plus one of the form's own: a message that is
 * only white space is empty.
 */
export function checkForm(values) {
  const input = toTicketInput(values);
  const issues = validate.mava.createTicket(input).map((i) => {
    const field = fieldOf(i.path);
    return { field, path: i.path, code: i.code, message: explain(field, i) };
  });
  if (!values.message.trim() && !issues.some((i) => i.field === "message")) {
    issues.push({ field: "message", path: "message.content", code: "REQUIRED", message: explain("message", { code: "REQUIRED" }) });
  }
  return issues;
}

const number = (n) => Number(n).toLocaleString("en-US");

/** A sentence for one SDK issue, naming the form field rather than the API path. */
export function explain(field, issue) {
  const label = field ? FIELDS[field].label : "The form";
  switch (issue.code) {
    case "INVALID_CUSTOMER_MODE":
      return "Enter an e-mail address or a wallet address, so that we can reply.";
    case "INVALID_EMAIL":
      return "Enter a valid e-mail address, such as name@example.com.";
    case "INVALID_WALLET_ADDRESS":
      return "Enter a wallet address: 0x followed by 40 hexadecimal characters (0–9, a–f).";
    case "REQUIRED":
    case "CONTENT_REQUIRED":
      return field === "message" ? "Write a message describing what you need." : `${label} must not be empty.`;
    case "TOO_LONG": {
      const m = /at most (\d+)\D+?(\d+)/.exec(issue.message ?? "");
      return m
        ? `${label} is too long: ${number(m[2])} characters, at most ${number(m[1])} allowed.`
        : `${label} is too long.`;
    }
    case "INVALID_OBJECT_ID":
      return `Choose a ${label.toLowerCase()} from the list.`;
    case "INVALID_ENUM":
    case "NOT_INTEGER":
    case "OUT_OF_RANGE":
      return field === "priority" ? "Choose Low, Medium or High." : `${label} has a value that is not allowed.`;
    case "INVALID_TYPE":
      return field === "priority" ? "Choose Low, Medium or High." : `${label} has the wrong type.`;
    default:
      return issue.message ?? `${label} is not valid.`;
  }
}
