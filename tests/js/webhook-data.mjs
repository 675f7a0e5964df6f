// Deliveries and signing keys for the Mava webhook cases (webhook.cases.mjs), made in Node with
// the sandbox's sender (tests/sandbox/webhooks.mjs, node:crypto) and handed to every runtime as
// plain JSON data: Chromium and workerd have no node:crypto to make their own.
import crypto from "node:crypto";
import { createSigningKey, makeDelivery, sampleEvent, verifyDelivery, openDelivery } from "../sandbox/webhooks.mjs";

/** `text` with its middle character changed to another of `alphabet` (as the sender CLI's --tamper). */
export function tamper(text, alphabet) {
  const i = Math.floor(text.length / 2);
  const next = alphabet[(alphabet.indexOf(text[i]) + 1) % alphabet.length];
  return text.slice(0, i) + next + text.slice(i + 1);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";

/**
 * An authentic delivery (the documented RSA-OAEP wrap and HMAC) around any `payload` text, for
 * payloads the sender would never make: what openMavaWebhook must refuse as DECRYPT_FAILED.
 */
export function authenticDelivery({ publicKey, payload, symmetricKey = crypto.randomBytes(32), iv = crypto.randomBytes(16).toString("hex") }) {
  const wrapped = crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, symmetricKey);
  const signature = crypto.createHmac("sha256", symmetricKey.toString("base64")).update(payload, "utf8").digest("hex");
  return { signature, payload, key: `${iv}:${wrapped.toString("base64")}`, webhookId: crypto.randomUUID() };
}

/** AES-256-CBC (PKCS#7) of `bytes`, base64, under `key` and `iv`. */
function cbc(bytes, key, iv) {
  const cipher = crypto.createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  return Buffer.concat([cipher.update(bytes), cipher.final()]).toString("base64");
}

/** Everything the cases need, as JSON-compatible data. */
export function makeWebhookData() {
  const { signingKey, publicKey } = createSigningKey();
  const other = createSigningKey();
  const event = sampleEvent("ticket.created", 7);
  const delivery = makeDelivery({ publicKey, event, webhookId: "wh-0001" });
  if (!verifyDelivery(delivery, signingKey)) throw new Error("the sender's delivery does not verify");

  const encodings = [];
  for (const aesKeyBytes of [16, 24, 32]) {
    for (const ivEncoding of ["hex", "base64"]) {
      for (const payloadEncoding of ["base64", "hex"]) {
        const options = { aesKeyBytes, ivEncoding, payloadEncoding };
        encodings.push({ options, delivery: makeDelivery({ publicKey, event, ...options }) });
      }
    }
  }
  const others = ["message.created", "customer.updated"].map((type, i) => {
    const e = sampleEvent(type, 20 + i);
    return { event: e, delivery: makeDelivery({ publicKey, event: e }) };
  });
  for (const { delivery: d, event: e } of others) {
    if (JSON.stringify(openDelivery(d, signingKey)) !== JSON.stringify(e)) throw new Error("the reference receiver disagrees");
  }

  // One changed character: in payload (base64), signature (hex), and the RSA part of key.
  const [iv, wrapped] = delivery.key.split(":");
  const tampered = {
    payload: { ...delivery, payload: tamper(delivery.payload, BASE64) },
    signature: { ...delivery, signature: tamper(delivery.signature, HEX) },
    key: { ...delivery, key: `${iv}:${tamper(wrapped, BASE64)}` },
    "signature (a non-hex character)": { ...delivery, signature: delivery.signature.slice(0, -1) + "z" },
    "signature (uppercase, one digit changed)": { ...delivery, signature: tamper(delivery.signature, HEX).toUpperCase() },
  };
  for (const [what, d] of Object.entries(tampered)) if (verifyDelivery(d, signingKey)) throw new Error(`tampered ${what} still verifies`);

  const symmetricKey = crypto.randomBytes(32);
  const ivBytes = crypto.randomBytes(16);
  const gcm = crypto.createCipheriv("aes-256-gcm", symmetricKey, ivBytes);
  const gcmPayload = Buffer.concat([gcm.update(JSON.stringify(event)), gcm.final(), gcm.getAuthTag()]).toString("base64");
  const withKey = (payload, extra = {}) => authenticDelivery({ publicKey, payload, symmetricKey, iv: ivBytes.toString("hex"), ...extra });
  const undecryptable = {
    "a payload that is neither base64 nor hex": withKey("this is not base64!"),
    "the documents' sample payload": withKey("encrypted_payload"),
    "AES-CBC of text that is not JSON": withKey(cbc(Buffer.from("hello, not JSON"), symmetricKey, ivBytes)),
    "AES-CBC of bytes that are not UTF-8": withKey(cbc(Buffer.from([0xff, 0xfe, 0x80, 0x81]), symmetricKey, ivBytes)),
    "AES-CBC of JSON without a document": withKey(cbc(Buffer.from('{"type":"ticket.created"}'), symmetricKey, ivBytes)),
    "AES-CBC of JSON whose document is an array": withKey(cbc(Buffer.from('{"type":"ticket.created","document":[]}'), symmetricKey, ivBytes)),
    "AES-CBC of JSON whose type is blank": withKey(cbc(Buffer.from('{"type":" ","document":{}}'), symmetricKey, ivBytes)),
    "AES-CBC of a JSON array": withKey(cbc(Buffer.from("[1,2,3]"), symmetricKey, ivBytes)),
    "AES-CBC under another key": withKey(cbc(Buffer.from(JSON.stringify(event)), crypto.randomBytes(32), ivBytes)),
    "AES-GCM with its tag appended": withKey(gcmPayload),
    "an AES key of 20 bytes": authenticDelivery({ publicKey, payload: cbc(Buffer.from("{}"), symmetricKey, ivBytes), symmetricKey: crypto.randomBytes(20) }),
    "an IV of 8 bytes": withKey(cbc(Buffer.from(JSON.stringify(event)), symmetricKey, ivBytes), { iv: "0011223344556677" }),
  };
  for (const [what, d] of Object.entries(undecryptable)) if (!verifyDelivery(d, signingKey)) throw new Error(`${what} does not verify`);

  const der = (keyObject, type) => keyObject.export({ format: "der", type }).toString("base64");
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const base64 = signingKey.slice("mava_wh_".length);
  const badKeys = {
    "the base64 without its prefix": base64,
    "the prefix in capitals": `MAVA_WH_${base64}`,
    "the prefix alone": "mava_wh_",
    "a character outside base64": `mava_wh_${base64.slice(0, 100)}!${base64.slice(100)}`,
    "base64 of something else": `mava_wh_${Buffer.from("not a key").toString("base64")}`,
    "a truncated key": `mava_wh_${base64.slice(0, base64.length / 2)}`,
    "a P-256 private key": `mava_wh_${der(ec.privateKey, "pkcs8")}`,
    "the RSA public key": `mava_wh_${der(publicKey, "spki")}`,
    "the key as PEM": `mava_wh_${crypto.createPrivateKey({ key: Buffer.from(base64, "base64"), format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" })}`,
  };

  return {
    signingKey,
    otherSigningKey: other.signingKey,
    event,
    delivery,
    encodings,
    others,
    forOtherKey: makeDelivery({ publicKey: other.publicKey, event }),
    tampered,
    undecryptable,
    badKeys,
  };
}
