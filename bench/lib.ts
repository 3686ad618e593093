import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  connections: number;
  requestsPerSec: number;
  totalRequests: number;
  /** autocannon reports percentiles in whole milliseconds; the mean shows what is below. */
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU time of the server's main thread per request, when the server is a child process. */
  mainThreadMsPerRequest?: number;
  /** Peak resident memory of the server during this load, when known. */
  peakRssMiB?: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationS?: number;
}

/** Seconds per load; `PIXAPI_BENCH_SECONDS` shortens runs while iterating. */
export const LOAD_SECONDS = Number(process.env.PIXAPI_BENCH_SECONDS ?? 8);

/** Drives a fixed load at one loopback URL for a fixed time (autocannon stops by itself). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const connections = options.connections ?? 32;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
    connections,
    duration: options.durationS ?? LOAD_SECONDS,
  });
  return {
    name: options.name,
    connections,
    requestsPerSec: result.requests.average,
    totalRequests: result.requests.total,
    meanMs: result.latency.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined ? '–' : value.toFixed(digits);

/**
 * Prints rows as a Markdown table. With `baseline`, each row gets its throughput and p50 as a
 * ratio of the baseline row at the same number of connections, measured in the same run.
 */
export function printTable(
  title: string,
  rows: LoadResult[],
  baseline?: (row: LoadResult) => LoadResult | undefined,
  baselineName = 'direct',
): void {
  console.log(`\n## ${title}\n`);
  const ratios = baseline ? ` req/s vs ${baselineName} | p50 added ms | mean added ms |` : '';
  console.log(
    `| scenario | conns | req/s | mean ms | p50 ms | p99 ms | non-2xx | errors | main thread ms/req | peak RSS MiB |${ratios}`,
  );
  console.log(
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${baseline ? ' ---: | ---: | ---: |' : ''}`,
  );
  for (const r of rows) {
    const base = baseline?.(r);
    const ratio = baseline
      ? base
        ? ` ${(r.requestsPerSec / base.requestsPerSec).toFixed(3)} | ${(r.p50Ms - base.p50Ms).toFixed(2)} | ${(r.meanMs - base.meanMs).toFixed(2)} |`
        : ' – | – | – |'
      : '';
    console.log(
      `| ${r.name} | ${r.connections} | ${r.requestsPerSec.toFixed(0)} | ${r.meanMs.toFixed(2)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${fixed(r.mainThreadMsPerRequest, 2)} | ${fixed(r.peakRssMiB, 0)} |${ratio}`,
    );
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
