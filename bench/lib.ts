import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
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

/** Drives a fixed load at one loopback URL for a fixed time (autocannon stops by itself). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 32,
    duration: options.durationS ?? 10,
  });
  return {
    name: options.name,
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function printTable(title: string, rows: LoadResult[], baseline?: LoadResult): void {
  console.log(`\n## ${title}\n`);
  console.log(
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors |' +
      (baseline ? ' req/s vs direct | p50 vs direct |' : ''),
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |' + (baseline ? ' ---: | ---: |' : ''));
  for (const r of rows) {
    const ratios = baseline
      ? ` ${(r.requestsPerSec / baseline.requestsPerSec).toFixed(2)} | ${(r.p50Ms / Math.max(baseline.p50Ms, 0.001)).toFixed(2)} |`
      : '';
    console.log(
      `| ${r.name} | ${r.requestsPerSec.toFixed(0)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} |${ratios}`,
    );
  }
}
