// The Mava webhook receiver (verifyMavaWebhook, openMavaWebhook) from the packed package, on
// deliveries the sandbox's sender made (webhook-data.mjs, in Node, passed in as `data`). Plain ES
// module with no imports: the same cases run in Node (webhook.test.mjs), headless Chromium
// (browser.test.mjs) and workerd (webhook-workerd.test.mjs). Each case gets the package's exports
// and the data (in Node also `data.inspect`, util.inspect), and throws on failure.

function check(ok, what) {
  if (!ok) throw new Error(`expected ${what}`);
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to reject");
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Every error a case saw, for the last case's leak check. */
const seenErrors = [];
async function webhookError(sdk, promise, code, what) {
  const e = await rejection(promise);
  seenErrors.push(e);
  check(e instanceof sdk.WebhookError && e instanceof sdk.SdkError && e instanceof Error, `${what}: a WebhookError, got ${e?.name}: ${e?.message}`);
  check(e.name === "WebhookError" && e.code === code, `${what}: code ${code}, got ${e.code}: ${e.message}`);
  return e;
}
async function validationError(sdk, promise, path, code, what) {
  const e = await rejection(promise);
  seenErrors.push(e);
  check(e instanceof sdk.ValidationError && e.name === "ValidationError", `${what}: a ValidationError, got ${e?.name}: ${e?.message}`);
  check(e.issues.some((i) => i.path === path && (code === undefined || i.code === code)), `${what}: an issue ${code ?? ""} at "${path}", got ${JSON.stringify(e.issues)}`);
  return e;
}

/** A `seen` store whose methods answer through promises, a tick later (as KV or a Durable Object would). */
function asyncSeen() {
  const ids = new Set();
  const later = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
  return { ids, has: (id) => later(ids.has(id)), add: (id) => later(void ids.add(id)) };
}

/** A normal open, which a broken module would fail. */
async function stillWorks(sdk, data) {
  check((await sdk.verifyMavaWebhook(data.delivery, data.signingKey)) === true, "an authentic delivery still verifies");
  check(sdk.validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: 5 })[0]?.code === "INVALID_ENUM", "validate still works");
}

export const cases = {
  async "webhook: an authentic delivery verifies, as text and as an object"(sdk, data) {
    check((await sdk.verifyMavaWebhook(data.delivery, data.signingKey)) === true, "the object verifies");
    check((await sdk.verifyMavaWebhook(JSON.stringify(data.delivery), data.signingKey)) === true, "the JSON text verifies");
    check((await sdk.verifyMavaWebhook(data.delivery, `  ${data.signingKey}\n`)) === true, "a key with whitespace around it verifies");
  },

  async "webhook: it opens to the sent event, as text and as an object"(sdk, data) {
    for (const body of [data.delivery, JSON.stringify(data.delivery)]) {
      const opened = await sdk.openMavaWebhook(body, data.signingKey);
      check(same(Object.keys(opened).sort(), ["document", "duplicate", "type", "webhookId"]), `the fields of ${JSON.stringify(Object.keys(opened))}`);
      check(opened.webhookId === "wh-0001" && opened.type === "ticket.created" && opened.duplicate === false, `the event's fields, got ${JSON.stringify({ ...opened, document: "…" })}`);
      check(same(opened.document, data.event.document), "the sent document");
      check(typeof opened.document.priority === "string", "a webhook ticket's priority is a string");
    }
    for (const { event, delivery } of data.others) {
      const opened = await sdk.openMavaWebhook(delivery, data.signingKey, undefined);
      check(opened.type === event.type && same(opened.document, event.document), `the ${event.type} event`);
    }
  },

  async "webhook: every inferred encoding opens (AES-128/192/256, IV hex or base64, payload base64 or hex)"(sdk, data) {
    // Chromium's WebCrypto has no AES-192: it says so, with CRYPTO_UNAVAILABLE.
    const aes192 = await sdk.openMavaWebhook(data.encodings.find((e) => e.options.aesKeyBytes === 24).delivery, data.signingKey).then(() => true, (e) => {
      if (e.code !== "CRYPTO_UNAVAILABLE") throw e;
      return false;
    });
    for (const { options, delivery } of data.encodings) {
      if (options.aesKeyBytes === 24 && !aes192) {
        await webhookError(sdk, sdk.openMavaWebhook(delivery, data.signingKey), "CRYPTO_UNAVAILABLE", "AES-192 where WebCrypto lacks it");
        continue;
      }
      const opened = await sdk.openMavaWebhook(delivery, data.signingKey, {});
      check(same(opened.document, data.event.document), `the event with ${JSON.stringify(options)}`);
    }
    check(aes192 || !globalThis.process?.versions?.node, "Node's WebCrypto has AES-192");
  },

  async "webhook: one changed character in payload, signature or key is not authentic"(sdk, data) {
    for (const [what, delivery] of Object.entries(data.tampered)) {
      check((await sdk.verifyMavaWebhook(delivery, data.signingKey)) === false, `${what}: verify gives false`);
      const e = await webhookError(sdk, sdk.openMavaWebhook(delivery, data.signingKey), "INVALID_SIGNATURE", what);
      check(e.webhookId === delivery.webhookId, `${what}: the error names the webhookId`);
    }
  },

  async "webhook: a delivery made for another signing key is not authentic"(sdk, data) {
    check((await sdk.verifyMavaWebhook(data.delivery, data.otherSigningKey)) === false, "the delivery with another key");
    check((await sdk.verifyMavaWebhook(data.forOtherKey, data.signingKey)) === false, "another key's delivery");
    await webhookError(sdk, sdk.openMavaWebhook(data.forOtherKey, data.signingKey), "INVALID_SIGNATURE", "another key's delivery");
  },

  async "webhook: a malformed delivery is a ValidationError naming the field"(sdk, data) {
    const d = data.delivery;
    for (const field of ["signature", "payload", "key", "webhookId"]) {
      const { [field]: _, ...missing } = d;
      const variants = { missing, blank: { ...d, [field]: "  " }, empty: { ...d, [field]: "" }, null: { ...d, [field]: null }, "a number": { ...d, [field]: 42 }, "an object": { ...d, [field]: {} } };
      for (const [what, body] of Object.entries(variants)) {
        for (const call of ["verifyMavaWebhook", "openMavaWebhook"]) {
          const code = what === "a number" || what === "an object" ? "INVALID_TYPE" : "REQUIRED";
          const e = await validationError(sdk, sdk[call](body, data.signingKey), field, code, `${call}: ${field} ${what}`);
          check(e.message.includes(field), `${call}: the message names ${field}: ${e.message}`);
        }
        await validationError(sdk, sdk.verifyMavaWebhook(JSON.stringify(body), data.signingKey), field, undefined, `${field} ${what}, as text`);
      }
    }
    const noColon = { ...d, key: d.key.replace(":", "") };
    await validationError(sdk, sdk.verifyMavaWebhook(noColon, data.signingKey), "key", "INVALID_FORMAT", "key without :");
    await validationError(sdk, sdk.openMavaWebhook({ ...d, key: `:${d.key.split(":")[1]}` }, data.signingKey), "key", "INVALID_FORMAT", "key without its IV");
    await validationError(sdk, sdk.verifyMavaWebhook(JSON.stringify(d).slice(0, -1), data.signingKey), "", "INVALID_JSON", "JSON text cut short");
    await validationError(sdk, sdk.verifyMavaWebhook("signature=ab&payload=cd", data.signingKey), "", "INVALID_JSON", "a form body");
    for (const [what, body] of Object.entries({ undefined, null: null, "a number": 7, "an array": [d], "JSON of an array": "[1]", "a function": () => d })) {
      const e = await rejection(sdk.verifyMavaWebhook(body, data.signingKey));
      check(e instanceof sdk.ValidationError && e.issues.length > 0, `${what}: a ValidationError, got ${e?.name}: ${e?.message}`);
    }
    // The delivery is read once, when the call is made.
    const body = { ...d };
    const pending = sdk.verifyMavaWebhook(body, data.signingKey);
    body.payload = "changed";
    check((await pending) === true, "the delivery as it was when the call was made");
    await stillWorks(sdk, data);
  },

  async "webhook: a malformed signing key is INVALID_SIGNING_KEY, whatever the delivery"(sdk, data) {
    const keys = { ...data.badKeys, undefined, null: null, "a number": 42, "an object": { toString: () => data.signingKey }, "the empty string": "" };
    for (const [what, key] of Object.entries(keys)) {
      for (const call of ["verifyMavaWebhook", "openMavaWebhook"]) {
        const e = await webhookError(sdk, sdk[call](data.delivery, key), "INVALID_SIGNING_KEY", `${call}: ${what}`);
        check(e.message.startsWith("The Mava webhook signing key") && e.webhookId === undefined, `${what}: the message, got ${e.message}`);
      }
      await webhookError(sdk, sdk.verifyMavaWebhook({}, key), "INVALID_SIGNING_KEY", `${what}, with a malformed delivery`);
    }
  },

  async "webhook: an authentic delivery whose payload isn't AES-CBC JSON is DECRYPT_FAILED, never an event"(sdk, data) {
    for (const [what, delivery] of Object.entries(data.undecryptable)) {
      check((await sdk.verifyMavaWebhook(delivery, data.signingKey)) === true, `${what}: it is authentic`);
      const e = await webhookError(sdk, sdk.openMavaWebhook(delivery, data.signingKey), "DECRYPT_FAILED", what);
      check(e.message.includes("payload format could not be read"), `${what}: the message says so, got ${e.message}`);
      check(e.webhookId === delivery.webhookId && e.cause === undefined, `${what}: webhookId, no cause`);
    }
  },

  async "webhook: a replay is a duplicate, with a seen that answers at once (a Set)"(sdk, data) {
    const seen = new Set();
    const first = await sdk.openMavaWebhook(data.delivery, data.signingKey, { seen });
    check(first.duplicate === false, "the first delivery is new");
    check(seen.has(data.delivery.webhookId) && seen.has(data.delivery.signature) && seen.size === 2, `webhookId and signature added, got ${[...seen]}`);
    const again = await sdk.openMavaWebhook(JSON.stringify(data.delivery), data.signingKey, { seen });
    check(again.duplicate === true && same(again.document, data.event.document), "the retry is a duplicate, and still the event");
    // A replay under a new webhookId (it is not signed), or with the signature in capitals.
    const renamed = await sdk.openMavaWebhook({ ...data.delivery, webhookId: "wh-replayed" }, data.signingKey, { seen });
    check(renamed.duplicate === true && renamed.webhookId === "wh-replayed", "a new webhookId with a seen signature");
    const upper = await sdk.openMavaWebhook({ ...data.delivery, webhookId: "wh-upper", signature: data.delivery.signature.toUpperCase() }, data.signingKey, { seen });
    check(upper.duplicate === true, "the signature in capitals");
    check(seen.size === 2, "a duplicate adds nothing");
    // Other deliveries are new; verify never consults seen.
    check((await sdk.openMavaWebhook(data.others[0].delivery, data.signingKey, { seen })).duplicate === false, "another delivery is new");
    check((await sdk.verifyMavaWebhook(data.delivery, data.signingKey)) === true, "verify of a seen delivery");
    // A delivery that fails is not remembered.
    await webhookError(sdk, sdk.openMavaWebhook(data.tampered.payload, data.signingKey, { seen }), "INVALID_SIGNATURE", "tampered, with seen");
    await webhookError(sdk, sdk.openMavaWebhook(data.undecryptable["AES-CBC of text that is not JSON"], data.signingKey, { seen }), "DECRYPT_FAILED", "undecryptable, with seen");
    check(seen.size === 4, `only the opened deliveries are remembered, got ${seen.size}`);
  },

  async "webhook: a replay is a duplicate, with a seen that answers with promises"(sdk, data) {
    const seen = asyncSeen();
    check((await sdk.openMavaWebhook(data.delivery, data.signingKey, { seen })).duplicate === false, "new");
    check(seen.ids.has(data.delivery.webhookId) && seen.ids.has(data.delivery.signature), "both added");
    check((await sdk.openMavaWebhook(data.delivery, data.signingKey, { seen })).duplicate === true, "the retry");
    check((await sdk.openMavaWebhook({ ...data.delivery, webhookId: "x" }, data.signingKey, { seen })).duplicate === true, "the replay");
    // Thenables and truthy answers count as well.
    const thenable = { has: (id) => ({ then: (resolve) => resolve(id === data.delivery.webhookId ? 1 : "") }), add() {} };
    check((await sdk.openMavaWebhook(data.delivery, data.signingKey, { seen: thenable })).duplicate === true, "a thenable's truthy answer");
    check((await sdk.openMavaWebhook(data.others[0].delivery, data.signingKey, { seen: thenable })).duplicate === false, "a thenable's falsy answer");
  },

  async "webhook: a seen that throws or rejects is SEEN_FAILED, with its error as the cause"(sdk, data) {
    const boom = new Error("store down");
    const stores = {
      "has throws": [{ has() { throw boom; }, add() {} }, "has"],
      "has rejects": [{ has: async () => { throw boom; }, add() {} }, "has"],
      "add rejects": [{ has: () => false, add: () => Promise.reject(boom) }, "add"],
      "has returns a thenable whose then throws": [{ has: () => ({ get then() { throw boom; } }), add() {} }, "has"],
      "has rejects with a string": [{ has: () => Promise.reject("unavailable"), add() {} }, "has"],
      "has throws null": [{ has() { throw null; }, add() {} }, "has"],
      "add goes away": [{ has() { delete this.add; return false; }, add() {} }, "add"],
    };
    for (const [what, [seen, method]] of Object.entries(stores)) {
      const e = await webhookError(sdk, sdk.openMavaWebhook(data.delivery, data.signingKey, { seen }), "SEEN_FAILED", what);
      check(e.message.includes(`seen.${method} failed`) && e.webhookId === data.delivery.webhookId, `${what}: the message, got ${e.message}`);
      check(e.cause instanceof Error, `${what}: an Error as the cause, got ${e.cause}`);
      if (seen.has === stores["has throws"][0].has) check(e.cause === boom, "the store's own error");
    }
    // A store's error that shows the signing key is copied, the key masked.
    const leaky = { has() { throw new Error(`cannot use ${data.signingKey}`); }, add() {} };
    const e = await webhookError(sdk, sdk.openMavaWebhook(data.delivery, data.signingKey, { seen: leaky }), "SEEN_FAILED", "a leaky store");
    check(e.cause.message === "cannot use mava_wh_***" && e.message.endsWith("cannot use mava_wh_***"), `masked, got ${e.cause.message}`);
    await stillWorks(sdk, data);
  },

  async "webhook: options other than a seen with has and add are a ValidationError"(sdk, data) {
    const options = {
      "a Map (no add)": [{ seen: new Map() }, "seen"],
      "an empty object": [{ seen: {} }, "seen"],
      "has only": [{ seen: { has() {} } }, "seen"],
      "null seen": [{ seen: null }, "seen"],
      "an unknown option": [{ dedupe: new Set() }, "dedupe"],
      "a number": [5, ""],
      "a proxy whose ownKeys trap throws": [new Proxy({}, { ownKeys() { throw new Error("trap"); } }), ""],
    };
    for (const [what, [given, path]] of Object.entries(options)) {
      await validationError(sdk, sdk.openMavaWebhook(data.delivery, data.signingKey, given), path, undefined, what);
    }
    check((await sdk.openMavaWebhook(data.delivery, data.signingKey, null)).duplicate === false, "null options are none");
    await stillWorks(sdk, data);
  },

  async "webhook: the signing key never appears in an error, its stack, or inspect output"(sdk, data) {
    // Errors of every kind, some from keys close to the real one.
    const near = [data.signingKey.slice(8), `mava_wh_!${data.signingKey.slice(8)}`, data.signingKey.toUpperCase(), `mava_wh_${data.signingKey.slice(8, 300)}`];
    for (const key of near) seenErrors.push(await rejection(sdk.openMavaWebhook(data.delivery, key)));
    seenErrors.push(await rejection(sdk.openMavaWebhook({ ...data.delivery, signature: data.signingKey }, data.signingKey)));
    seenErrors.push(await rejection(sdk.openMavaWebhook({ ...data.delivery, webhookId: undefined, payload: data.signingKey }, data.signingKey)));
    seenErrors.push(await rejection(sdk.openMavaWebhook(data.signingKey, data.signingKey)));
    const leaky = { has: () => Promise.reject(Object.assign(new Error(data.signingKey.slice(8)), { cause: new Error(data.signingKey) })), add() {} };
    seenErrors.push(await rejection(sdk.openMavaWebhook(data.delivery, data.signingKey, { seen: leaky })));
    check(seenErrors.length >= 20, `errors collected by the cases before, got ${seenErrors.length}`);
    const secrets = [data.signingKey, data.signingKey.slice(8), data.signingKey.slice(200, 240), data.otherSigningKey.slice(200, 240)];
    // Node's util.inspect, where the cases run in Node (webhook.test.mjs adds it to the data).
    const inspect = data.inspect;
    for (const e of seenErrors) {
      const views = [String(e), e.message, String(e.stack), JSON.stringify(e), JSON.stringify(e.issues ?? null), String(e.cause?.message), String(e.cause?.stack)];
      if (inspect) views.push(inspect(e, { depth: 10, showHidden: true }));
      for (const view of views) {
        for (const secret of secrets) check(!view.includes(secret), `no key text in ${e.name} ${e.code}: ${view.slice(0, 300)}`);
      }
    }
  },
};
