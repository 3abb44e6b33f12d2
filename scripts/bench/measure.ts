import autocannon from 'autocannon';

// One measurement: autocannon against one URL, every response's latency kept so p50 and p95 are exact.

export interface Load {
  connections: number;
  duration?: number;
  amount?: number;
}
export interface Measured {
  requests: number;
  /** Requests sent, including those still being answered when the run ended (the server finishes them all the same). */
  sent: number;
  failed: number;
  p50: number;
  p95: number;
  rps: number;
  mbPerResponse: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function measure(
  url: string,
  headers: Record<string, string>,
  load: Load,
  body?: Buffer,
): Promise<Measured> {
  const latencies: number[] = [];
  let failed = 0;
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        headers,
        ...(body && { method: 'POST' as const, body }),
        connections: load.connections,
        timeout: 120,
        ...(load.amount ? { amount: load.amount } : { duration: load.duration ?? 5 }),
      },
      (err: unknown, res: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
    );
    instance.on('response', (_client, status, resBytes, ms) => {
      latencies.push(ms);
      bytes += resBytes;
      if (status !== 200) failed++;
    });
  });
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    requests,
    sent: Math.max(requests, (result.requests as { sent?: number }).sent ?? requests),
    failed: failed + result.errors + result.timeouts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rps: result.duration > 0 ? requests / result.duration : 0,
    mbPerResponse: requests ? bytes / requests / 1e6 : 0,
  };
}
