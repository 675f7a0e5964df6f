#!/usr/bin/env node
/**
 * Sends Mava-style webhook deliveries to a URL, to test a receiver (see webhooks.mjs and the
 * "Webhook sender" section of tests/sandbox/README.md).
 *
 *   node tests/sandbox/webhook-sender.mjs --url http://127.0.0.1:8788/webhooks/mava
 *        [--signing-key mava_wh_… | --key-file path] [--type ticket.created] [--count 1]
 *        [--seed 1] [--repeat] [--tamper payload|signature|key] [--print-key]
 *
 * Without --signing-key the key comes from --key-file (default ./mava-webhook-signing-key.txt);
 * when that file does not exist a new key pair is made and its signing key written there.
 * stdout gets one line per delivery (and with --print-key first `MAVA_WEBHOOK_SIGNING_KEY=…`);
 * notes go to stderr. Exit code 1 when the URL can't be reached, 2 on bad options.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SIGNING_KEY_PREFIX, createSigningKey, makeDelivery, postDelivery, sampleEvent } from './webhooks.mjs';

const DEFAULT_KEY_FILE = './mava-webhook-signing-key.txt';
const TAMPER_FIELDS = ['payload', 'signature', 'key'];
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const USAGE = `Usage: node tests/sandbox/webhook-sender.mjs --url <url> [options]
  --url <url>            receiver to POST the deliveries to (required)
  --signing-key <key>    the receiver's signing key (mava_wh_…)
  --key-file <path>      read the signing key from this file; if it does not exist, create a
                         new key pair and write the signing key there
                         (default ${DEFAULT_KEY_FILE})
  --type <type>          event type (default ticket.created; message.* and customer.* also work)
  --count <n>            number of deliveries (default 1), each with its own document
  --seed <n>             seed of the first sample document (default 1; delivery i uses seed + i)
  --repeat               send each delivery twice, unchanged (a replay / retry)
  --tamper <field>       change one character of payload, signature or key (negative tests)
  --print-key            print MAVA_WEBHOOK_SIGNING_KEY=<key> on stdout first
  --help                 show this text`;

function parseArgs(argv) {
  const options = { url: null, signingKey: null, keyFile: null, type: 'ticket.created', count: 1, seed: 1, repeat: false, tamper: null, printKey: false };
  const valued = { '--url': 'url', '--signing-key': 'signingKey', '--key-file': 'keyFile', '--type': 'type', '--tamper': 'tamper' };
  const numeric = { '--count': 'count', '--seed': 'seed' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--help' || flag === '-h') return { help: true };
    if (flag === '--repeat') options.repeat = true;
    else if (flag === '--print-key') options.printKey = true;
    else if (flag in valued || flag in numeric) {
      const text = inline ?? argv[++i];
      if (text === undefined) throw new Error(`${flag} needs a value`);
      if (flag in valued) options[valued[flag]] = text;
      else if (!Number.isInteger(Number(text))) throw new Error(`${flag} needs an integer value`);
      else options[numeric[flag]] = Number(text);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (!options.url) throw new Error('--url is required');
  if (options.count < 1) throw new Error('--count must be at least 1');
  if (options.tamper !== null && !TAMPER_FIELDS.includes(options.tamper)) throw new Error(`--tamper takes ${TAMPER_FIELDS.join(', ')}`);
  if (options.signingKey && options.keyFile) throw new Error('give --signing-key or --key-file, not both');
  sampleEvent(options.type); // rejects a type without a sample document
  return options;
}

/** The signing key from the options, the key file, or a new key pair written to the key file. */
function loadSigningKey(options) {
  if (options.signingKey) return options.signingKey.trim();
  const file = path.resolve(options.keyFile ?? DEFAULT_KEY_FILE);
  if (fs.existsSync(file)) {
    process.stderr.write(`using the signing key in ${file}\n`);
    return fs.readFileSync(file, 'utf8').trim();
  }
  const { signingKey } = createSigningKey();
  fs.writeFileSync(file, `${signingKey}\n`, { mode: 0o600 });
  process.stderr.write(`new signing key written to ${file} — configure your receiver with it\n`);
  return signingKey;
}

/** The RSA public key ("encryption key") that belongs to a signing key. */
function publicKeyOf(signingKey) {
  if (!signingKey.startsWith(SIGNING_KEY_PREFIX)) throw new Error(`the signing key must start with ${SIGNING_KEY_PREFIX}`);
  const der = Buffer.from(signingKey.slice(SIGNING_KEY_PREFIX.length), 'base64');
  return crypto.createPublicKey(crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

/**
 * Changes one character in the middle of `field` (of the RSA part for `key`) to another character
 * of the same alphabet, so the value keeps its length and still decodes.
 */
function tamper(body, field) {
  const text = body[field];
  const start = field === 'key' ? text.indexOf(':') + 1 : 0;
  const at = start + Math.floor((text.length - start) / 2);
  const alphabet = HEX.includes(text[at]) ? HEX : BASE64;
  const replacement = alphabet[(alphabet.indexOf(text[at]) + 1) % alphabet.length];
  return { ...body, [field]: text.slice(0, at) + replacement + text.slice(at + 1) };
}

function oneLine(text, max = 200) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

async function main() {
  let options;
  let publicKey;
  let signingKey;
  try {
    options = parseArgs(process.argv.slice(2));
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    signingKey = loadSigningKey(options);
    publicKey = publicKeyOf(signingKey);
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.printKey) process.stdout.write(`MAVA_WEBHOOK_SIGNING_KEY=${signingKey}\n`);

  for (let i = 0; i < options.count; i++) {
    let body = makeDelivery({ publicKey, event: sampleEvent(options.type, options.seed + i) });
    if (options.tamper) body = tamper(body, options.tamper);
    for (const attempt of options.repeat ? ['', ' (repeat)'] : ['']) {
      let answer;
      try {
        answer = await postDelivery(options.url, body);
      } catch (error) {
        process.stderr.write(`cannot reach ${options.url}: ${error.cause?.message ?? error.message}\n`);
        return 1;
      }
      const tampered = options.tamper ? ` tampered=${options.tamper}` : '';
      process.stdout.write(`#${i + 1}${attempt} ${options.type} webhookId=${body.webhookId}${tampered} → ${answer.status} ${oneLine(answer.text)}\n`);
    }
  }
  return 0;
}

process.exitCode = await main();
