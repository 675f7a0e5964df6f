// Assertions for the case files (fetch-option.cases.mjs, hostile.cases.mjs), which run both in
// Node and in a browser page, so they use nothing but the language.

export function check(ok, what) {
  if (!ok) throw new Error(`expected ${what}`);
}

export function equal(got, want, what) {
  check(JSON.stringify(got) === JSON.stringify(want), `${what}: ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

/** What `promise` rejects with; throws if it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to reject");
}
