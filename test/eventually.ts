/**
 * The tests' one polling helper: waits for something asynchronous (a relay, a worker pass, an agent, a
 * process) without sleeping a fixed time.
 */

/**
 * Polls `probe` until it returns a value other than undefined/false and returns that value. A probe that
 * throws is retried (the service it asks may not answer yet); after `timeoutMs` the helper throws, naming
 * `what` it waited for and the probe's last error. Polls every 50 ms at first, backing off to 250 ms, so a
 * long wait does not load the shared machine with requests.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let pause = 50; ; pause = Math.min(250, pause * 1.5)) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
