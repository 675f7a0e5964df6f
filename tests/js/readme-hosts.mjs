// Preloaded (`node --import`) by readme.test.mjs for each README block: the API hosts the
// blocks use by default are answered by the sandbox at MAVA_SANDBOX_URL, as if DNS pointed
// there. Requests go through the global fetch the package calls; nothing else is changed.
const sandbox = process.env.MAVA_SANDBOX_URL;
const HOSTS = { "https://gateway.mava.app": sandbox, "https://chatter.mavibot.ai": `${sandbox}/mavibot` };
const realFetch = globalThis.fetch;

globalThis.fetch = async function fetch(input, init) {
  const request = new Request(input, init);
  const origin = Object.keys(HOSTS).find((o) => request.url.startsWith(`${o}/`));
  if (origin === undefined) return realFetch(request);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const url = HOSTS[origin] + request.url.slice(origin.length);
  return realFetch(new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal, redirect: request.redirect }));
};
