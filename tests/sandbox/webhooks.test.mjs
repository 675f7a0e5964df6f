/**
 * Tests of the Mava webhook sender (webhooks.mjs, webhook-sender.mjs) against the reference
 * receiver written from W3 §1 and the §4 inference. Run with `node --test tests/sandbox/`.
 */

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSigningKey, makeDelivery, verifyDelivery, openDelivery, sampleEvent, postDelivery } from './webhooks.mjs';

const CLI = fileURLToPath(new URL('./webhook-sender.mjs', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let keys;
let otherKeys;
before(() => {
  keys = createSigningKey();
  otherKeys = createSigningKey();
});

/** One character of `text` at `at` replaced by another character of the same alphabet. */
function changeChar(text, at) {
  const alphabet = /[0-9a-f]/.test(text[at]) ? '0123456789abcdef' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return text.slice(0, at) + alphabet[(alphabet.indexOf(text[at]) + 1) % alphabet.length] + text.slice(at + 1);
}

describe('signing key', () => {
  test('is mava_wh_ + standard base64 of a PKCS#8 DER RSA-2048 private key', () => {
    assert.match(keys.signingKey, /^mava_wh_[A-Za-z0-9+/]+=*$/);
    const der = Buffer.from(keys.signingKey.slice('mava_wh_'.length), 'base64');
    assert.equal(der.toString('base64'), keys.signingKey.slice('mava_wh_'.length)); // canonical base64
    const privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    assert.equal(privateKey.asymmetricKeyType, 'rsa');
    assert.equal(privateKey.asymmetricKeyDetails.modulusLength, 2048);
    assert.equal(keys.signingKey.split('_')[2], keys.signingKey.slice(8)); // the documented split works
    // publicKey and privateKey belong to the signing key
    const spki = (key) => crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('hex');
    assert.equal(spki(privateKey), keys.publicKey.export({ format: 'der', type: 'spki' }).toString('hex'));
    assert.equal(spki(keys.privateKey), spki(privateKey));
    assert.notEqual(otherKeys.signingKey, keys.signingKey);
  });
});

describe('makeDelivery against the reference verify and open', () => {
  const event = sampleEvent('ticket.created', 11);
  for (const aesKeyBytes of [16, 24, 32]) {
    for (const ivEncoding of ['hex', 'base64']) {
      for (const payloadEncoding of ['base64', 'hex']) {
        test(`AES-${aesKeyBytes * 8}, IV ${ivEncoding}, payload ${payloadEncoding}`, () => {
          const body = makeDelivery({ publicKey: keys.publicKey, event, aesKeyBytes, ivEncoding, payloadEncoding });
          assert.deepEqual(Object.keys(body).sort(), ['key', 'payload', 'signature', 'webhookId']);
          assert.match(body.webhookId, UUID);
          assert.match(body.signature, /^[0-9a-f]{64}$/);
          const [iv, wrapped] = body.key.split(':');
          assert.match(iv, ivEncoding === 'hex' ? /^[0-9a-f]{32}$/ : /^[A-Za-z0-9+/]{22}==$/);
          assert.equal(Buffer.from(wrapped, 'base64').length, 256); // one RSA-2048 block
          assert.match(body.payload, payloadEncoding === 'hex' ? /^[0-9a-f]+$/ : /^[A-Za-z0-9+/]+=*$/);
          const ciphertext = Buffer.from(body.payload, payloadEncoding);
          assert.equal(ciphertext.length % 16, 0);
          assert.ok(ciphertext.length > JSON.stringify(event).length);
          assert.equal(verifyDelivery(body, keys.signingKey), true);
          assert.deepEqual(openDelivery(body, keys.signingKey), event);
          // the unwrapped key has the requested size
          const aesKey = crypto.privateDecrypt({ key: keys.privateKey, oaepHash: 'sha1' }, Buffer.from(wrapped, 'base64'));
          assert.equal(aesKey.length, aesKeyBytes);
        });
      }
    }
  }

  test('the signature is the HMAC keyed with the base64 text of the AES key, over the payload string', () => {
    const symmetricKey = Buffer.alloc(32, 7);
    const body = makeDelivery({ publicKey: keys.publicKey, event: { type: 'ticket.created', document: {} }, symmetricKey, webhookId: 'wh-1' });
    assert.equal(body.webhookId, 'wh-1');
    const expected = crypto.createHmac('sha256', symmetricKey.toString('base64')).update(body.payload).digest('hex');
    assert.equal(body.signature, expected);
    const rawKeyed = crypto.createHmac('sha256', symmetricKey).update(body.payload).digest('hex');
    assert.notEqual(body.signature, rawKeyed);
    // each delivery has its own IV, so the same key and event give another payload
    const again = makeDelivery({ publicKey: keys.publicKey, event: { type: 'ticket.created', document: {} }, symmetricKey });
    assert.notEqual(again.payload, body.payload);
    assert.notEqual(again.webhookId, body.webhookId);
  });

  test('non-ASCII text survives (UTF-8 plaintext)', () => {
    const event = { type: 'message.created', document: { content: 'Привет 👋 — ça va?' } };
    const body = makeDelivery({ publicKey: keys.publicKey, event });
    assert.deepEqual(openDelivery(body, keys.signingKey), event);
  });

  test('bad options are rejected', () => {
    assert.throws(() => makeDelivery({ publicKey: keys.publicKey, event: {}, aesKeyBytes: 20 }), /16, 24 or 32/);
    assert.throws(() => makeDelivery({ publicKey: keys.publicKey, event: {}, ivEncoding: 'latin1' }), /ivEncoding/);
    assert.throws(() => makeDelivery({ event: {} }), /publicKey/);
  });
});

describe('the reference rejects', () => {
  const event = sampleEvent('customer.updated', 5);
  let body;
  before(() => {
    body = makeDelivery({ publicKey: keys.publicKey, event });
  });

  for (const field of ['payload', 'signature']) {
    test(`one changed character in ${field}`, () => {
      const tampered = { ...body, [field]: changeChar(body[field], Math.floor(body[field].length / 2)) };
      assert.notEqual(tampered[field], body[field]);
      assert.equal(tampered[field].length, body[field].length);
      assert.equal(verifyDelivery(tampered, keys.signingKey), false);
      assert.throws(() => openDelivery(tampered, keys.signingKey), /failed verification/);
    });
  }

  test('one changed character in the RSA part of key (OAEP error, mapped to false)', () => {
    const colon = body.key.indexOf(':');
    const tampered = { ...body, key: changeChar(body.key, colon + 100) };
    assert.equal(verifyDelivery(tampered, keys.signingKey), false);
  });

  test('a delivery for another signing key (OAEP error, mapped to false)', () => {
    assert.equal(verifyDelivery(body, otherKeys.signingKey), false);
    // what the documented code would hit: privateDecrypt throws
    const der = Buffer.from(otherKeys.signingKey.split('_')[2], 'base64');
    const wrapped = Buffer.from(body.key.split(':')[1], 'base64');
    assert.throws(() => crypto.privateDecrypt({ key: der, format: 'der', type: 'pkcs8', padding: crypto.constants.RSA_PKCS1_OAEP_PADDING }, wrapped));
  });

  test('a key wrapped with OAEP-SHA-256 (the documented code needs SHA-1)', () => {
    const aesKey = crypto.randomBytes(32);
    const good = makeDelivery({ publicKey: keys.publicKey, event, symmetricKey: aesKey });
    const sha256 = crypto.publicEncrypt({ key: keys.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
    const [iv] = good.key.split(':');
    assert.equal(verifyDelivery(good, keys.signingKey), true);
    assert.equal(verifyDelivery({ ...good, key: `${iv}:${sha256.toString('base64')}` }, keys.signingKey), false);
  });

  test('a signature of another length, W2 placeholder signature, missing fields', () => {
    assert.equal(verifyDelivery({ ...body, signature: body.signature.slice(0, 62) }, keys.signingKey), false);
    assert.equal(verifyDelivery({ ...body, signature: 'mava_wh_3h32i2dkd2d90d2jdk2jd2k29hds' }, keys.signingKey), false);
    assert.equal(verifyDelivery({ ...body, key: body.key.split(':')[0] }, keys.signingKey), false);
    assert.equal(verifyDelivery({ payload: body.payload, key: body.key }, keys.signingKey), false);
    assert.equal(verifyDelivery(null, keys.signingKey), false);
  });

  test('the IV is not covered by the signature: a changed IV verifies but opens to another event', () => {
    const tampered = { ...body, key: changeChar(body.key, 10) };
    assert.equal(verifyDelivery(tampered, keys.signingKey), true);
    let opened;
    try {
      opened = openDelivery(tampered, keys.signingKey);
    } catch {
      opened = null; // the first block may no longer be JSON
    }
    assert.notDeepEqual(opened, event);
  });

  test('a signing key that is not one throws (configuration error)', () => {
    assert.throws(() => verifyDelivery(body, 'whsec_abc'), /starts with mava_wh_/);
    assert.throws(() => verifyDelivery(body, 'mava_wh_AAAA'), /PKCS#8/);
  });
});

describe('sampleEvent', () => {
  test('ticket.created is a Ticket of the A.10.4 shape, deterministic per seed', () => {
    const event = sampleEvent();
    assert.equal(event.type, 'ticket.created');
    assert.deepEqual(sampleEvent('ticket.created', 1), event);
    assert.notDeepEqual(sampleEvent('ticket.created', 2), event);
    const ticket = event.document;
    assert.match(ticket._id, /^[0-9a-f]{24}$/);
    assert.equal(typeof ticket.priority, 'string');
    assert.equal(typeof ticket.status, 'string');
    assert.equal(typeof ticket.isUserRatingRequested, 'boolean');
    assert.match(ticket.userRating, /^[0-9a-f]{24}$/);
    assert.deepEqual(Object.keys(ticket.category).sort(), ['isArchived', 'name']);
    assert.ok(Array.isArray(ticket.tags));
    assert.deepEqual(Object.keys(ticket.attributes[0]).sort(), ['attribute', 'content']);
    assert.deepEqual(Object.keys(ticket.attributes[0].attribute).sort(), ['_id', 'affiliationType', 'isArchived', 'name', 'type']);
    assert.ok(!Number.isNaN(Date.parse(ticket.firstCustomerMessageCreatedAt)));
    if ('assignedTo' in ticket) assert.deepEqual(Object.keys(ticket.assignedTo).sort(), ['email', 'name']);
    // both assigned and unassigned tickets occur across seeds
    const assigned = new Set(Array.from({ length: 20 }, (_, i) => 'assignedTo' in sampleEvent('ticket.created', i).document));
    assert.deepEqual([...assigned].sort(), [false, true]);
  });

  test('message.created is a Message with a Ticket; customer.updated is a Customer', () => {
    const message = sampleEvent('message.created', 4).document;
    assert.deepEqual(
      Object.keys(message).sort(),
      ['_id', 'attachments', 'content', 'fromCustomer', 'messageType', 'sender', 'senderReferenceType', 'ticket'],
    );
    assert.ok(['ClientMember', 'Customer', 'DiscordUser'].includes(message.senderReferenceType));
    assert.equal(message.fromCustomer, message.senderReferenceType === 'Customer');
    assert.equal(typeof message.ticket.customer.email, 'string');
    const customer = sampleEvent('customer.updated', 4).document;
    assert.deepEqual(
      Object.keys(customer).sort(),
      ['_id', 'attributes', 'discordAuthorId', 'discordRoles', 'email', 'name', 'telegramAuthorId', 'walletAddress'],
    );
    assert.match(customer.walletAddress, /^0x[0-9a-f]{40}$/);
    assert.ok(Array.isArray(customer.discordRoles));
    assert.throws(() => sampleEvent('invoice.paid'), /no sample document/);
  });
});

// ---------------------------------------------------------------------------------------------
// postDelivery and the CLI, against a small receiver
// ---------------------------------------------------------------------------------------------

describe('delivery over HTTP', () => {
  let server;
  let url;
  let received;
  let tmp;

  before(async () => {
    received = [];
    server = http.createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        received.push({ method: req.method, path: req.url, headers: req.headers, text });
        res.writeHead(202, { 'content-type': 'text/plain' }).end(`got ${text.length} bytes`);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/webhooks/mava`;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mava-webhooks-'));
  });
  after(() => {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function runCli(args) {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  test('postDelivery POSTs JSON and returns status and text', async () => {
    received.length = 0;
    const body = makeDelivery({ publicKey: keys.publicKey, event: sampleEvent() });
    const answer = await postDelivery(url, body, { headers: { 'x-test': 'yes' } });
    assert.equal(answer.status, 202);
    assert.equal(answer.text, `got ${JSON.stringify(body).length} bytes`);
    assert.equal(received.length, 1);
    assert.equal(received[0].method, 'POST');
    assert.equal(received[0].path, '/webhooks/mava');
    assert.equal(received[0].headers['content-type'], 'application/json');
    assert.equal(received[0].headers['x-test'], 'yes');
    assert.deepEqual(JSON.parse(received[0].text), body);
  });

  test('the CLI creates a key file, then reuses it; deliveries verify; --repeat replays', async () => {
    const keyFile = path.join(tmp, 'key.txt');
    received.length = 0;
    const first = await runCli(['--url', url, '--key-file', keyFile, '--type', 'message.created', '--count', '2', '--seed', '9']);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.stderr.includes(keyFile), first.stderr);
    const signingKey = fs.readFileSync(keyFile, 'utf8').trim();
    assert.match(signingKey, /^mava_wh_[A-Za-z0-9+/]+=*$/);
    assert.equal(received.length, 2);
    const bodies = received.map((r) => JSON.parse(r.text));
    for (const [i, body] of bodies.entries()) {
      assert.equal(verifyDelivery(body, signingKey), true);
      assert.deepEqual(openDelivery(body, signingKey), sampleEvent('message.created', 9 + i));
    }
    assert.notEqual(bodies[0].webhookId, bodies[1].webhookId);
    const lines = first.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], new RegExp(`^#1 message\\.created webhookId=${bodies[0].webhookId} → 202 got \\d+ bytes$`));

    received.length = 0;
    const second = await runCli(['--url', url, '--key-file', keyFile, '--repeat', '--print-key']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(fs.readFileSync(keyFile, 'utf8').trim(), signingKey); // reused, not replaced
    assert.equal(second.stdout.split('\n')[0], `MAVA_WEBHOOK_SIGNING_KEY=${signingKey}`);
    assert.equal(received.length, 2);
    assert.equal(received[0].text, received[1].text);
    const replayed = JSON.parse(received[1].text);
    assert.equal(JSON.parse(received[0].text).webhookId, replayed.webhookId);
    assert.equal(verifyDelivery(replayed, signingKey), true);
    assert.match(second.stdout, /#1 \(repeat\) ticket\.created/);
  });

  test('the CLI with --signing-key and --tamper payload sends a delivery that fails verification', async () => {
    received.length = 0;
    const run = await runCli(['--url', url, '--signing-key', keys.signingKey, '--tamper', 'payload']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(received.length, 1);
    const body = JSON.parse(received[0].text);
    assert.equal(verifyDelivery(body, keys.signingKey), false);
    // only the payload was changed: the signature still matches the payload before the change
    const aesKey = crypto.privateDecrypt({ key: keys.privateKey, oaepHash: 'sha1' }, Buffer.from(body.key.split(':')[1], 'base64'));
    const at = Math.floor(body.payload.length / 2); // the CLI changes the middle character
    const originals = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].filter((ch) => {
      const candidate = body.payload.slice(0, at) + ch + body.payload.slice(at + 1);
      return crypto.createHmac('sha256', aesKey.toString('base64')).update(candidate).digest('hex') === body.signature;
    });
    assert.equal(originals.length, 1);
    assert.notEqual(originals[0], body.payload[at]);
  });

  test('the CLI: --help, bad options, an unreachable URL', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: node tests\/sandbox\/webhook-sender\.mjs --url <url>/);
    const bad = await runCli(['--url', url, '--tamper', 'webhookId']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--tamper takes payload, signature, key/);
    const closed = http.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await runCli(['--url', `http://127.0.0.1:${port}/`, '--signing-key', keys.signingKey]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach/);
    assert.equal(unreachable.stdout, '');
  });
});
