/** The error of a piece of work that ran past its time limit. */
export class TimedOut extends Error {}

/**
 * Runs `work` until it settles or `ms` pass. On time-out the controller is aborted (the work
 * should stop at its signal) and the result is dropped: a late answer changes nothing.
 */
export async function withTimeout<T>(work: () => Promise<T>, ms: number, controller: AbortController, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimedOut(`${what} did not finish within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), limit]);
  } finally {
    clearTimeout(timer);
  }
}
