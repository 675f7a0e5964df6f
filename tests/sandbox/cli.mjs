#!/usr/bin/env node
/**
 * Command-line launcher for the sandbox.
 *
 *   node tests/sandbox/cli.mjs [--port 8787] [--host 127.0.0.1] [--requests 90] [--window-ms 30000]
 *                              [--tickets 250] [--seed 1] [--no-rate-limit] [--verbose]
 *                              [--mavibot-requests <n>] [--mavibot-window-ms 30000]
 *
 * stdout gets exactly one line, `MAVA_SANDBOX_URL=http://127.0.0.1:<port>`, so scripts can read
 * it (`--port 0` picks a free port); with --verbose one line per API request follows. The seeded
 * API keys (Mava and Mavibot) go to stderr. SIGINT / SIGTERM close the server and exit with code 0.
 */

import { startSandbox } from './server.mjs';
import { MAVA_API_KEYS } from './mava.mjs';
import { MAVIBOT_API_KEYS, MAVIBOT_KEY_ALIAS } from './mavibot.mjs';

const USAGE = `Usage: node tests/sandbox/cli.mjs [options]
  --port <n>          port to listen on (default 8787; 0 = any free port)
  --host <addr>       interface (default 127.0.0.1)
  --requests <n>      Mava rate limit: requests per window per API key (default 90)
  --window-ms <ms>    Mava rate limit window (default 30000)
  --no-rate-limit     disable the Mava rate limit
  --mavibot-requests <n>    turn on a Mavibot rate limit (off by default; none is documented)
  --mavibot-window-ms <ms>  its window (default 30000)
  --tickets <n>       seeded tickets per tenant (default 250)
  --seed <n>          PRNG seed (default 1)
  --verbose           log one line per API request to stdout
  --help              show this text`;

function parseArgs(argv) {
  const options = {
    port: 8787, host: '127.0.0.1', requests: 90, windowMs: 30000, rateLimit: true, tickets: 250, seed: 1, verbose: false,
    mavibotRequests: null, mavibotWindowMs: 30000,
  };
  const numeric = {
    '--port': 'port', '--requests': 'requests', '--window-ms': 'windowMs', '--tickets': 'tickets', '--seed': 'seed',
    '--mavibot-requests': 'mavibotRequests', '--mavibot-window-ms': 'mavibotWindowMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--help' || flag === '-h') return { help: true };
    if (flag === '--no-rate-limit') options.rateLimit = false;
    else if (flag === '--verbose') options.verbose = true;
    else if (flag === '--host') options.host = inline ?? argv[++i];
    else if (flag in numeric) {
      const text = inline ?? argv[++i];
      const value = Number(text);
      if (text === undefined || !Number.isInteger(value)) throw new Error(`${flag} needs an integer value`);
      options[numeric[flag]] = value;
    } else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    rateLimit: options.rateLimit ? { requests: options.requests, windowMs: options.windowMs } : false,
    mavibotRateLimit: options.mavibotRequests === null ? false : { requests: options.mavibotRequests, windowMs: options.mavibotWindowMs },
    tickets: options.tickets,
    seed: options.seed,
    quiet: !options.verbose,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`MAVA_SANDBOX_URL=${sandbox.url}\n`);
  process.stderr.write(
    `Mava sandbox listening on ${sandbox.url}\n` +
      `API keys (header x-auth-token): ${MAVA_API_KEYS.join(', ')}\n` +
      `Mavibot: baseUrl ${sandbox.url}/mavibot, keys ${MAVIBOT_API_KEYS.join(', ')} (alias of the first: ${JSON.stringify(MAVIBOT_KEY_ALIAS)})\n` +
      `Control API: ${sandbox.url}/__sandbox/ (see tests/sandbox/README.md)\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`sandbox failed to start: ${error?.message ?? error}\n`);
  process.exit(1);
});
