// Waiting for a condition without asserting on time: poll until it holds, giving up after
// a bounded number of tries (a safety net, not a timing assertion).
export async function eventually<T>(check: () => T | Promise<T>, what: string, tries = 1500, every = 20): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`gave up waiting for ${what}`);
}
