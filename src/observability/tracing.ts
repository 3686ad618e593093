import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

/**
 * OpenTelemetry tracing, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Off, nothing is
 * loaded and every helper here runs its work directly: no span objects, no context switches.
 */
let enabled = false;

export interface Tracing {
  /** Sends the spans still buffered, then unregisters, so that a new server can start. */
  shutdown(): Promise<void>;
}

export interface TracingSettings {
  /** OTLP/HTTP base URL; the exporter posts JSON to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
}

/**
 * Registers the global tracer provider (batching OTLP/HTTP exporter, AsyncLocalStorage context,
 * W3C trace context) and the undici instrumentation, which gives each upstream call a client
 * span and sends it `traceparent`. Loaded lazily so that a server without tracing pays nothing.
 */
export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources, undici] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/instrumentation-undici'),
    ]);
  const exporter = new OTLPTraceExporter({
    url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const provider = new NodeTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  const instrumentation = new undici.UndiciInstrumentation({
    // Only calls made while a request or task is traced: not the exporter's, not health probes.
    requireParentforSpans: true,
  });
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  enabled = true;
  return {
    shutdown: async () => {
      enabled = false;
      instrumentation.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

const tracer = () => trace.getTracer('pixapi');

function ended(span: Span, error: unknown): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.name : 'error',
  });
  span.end();
}

/**
 * Runs `work` in a child span of the current one, ended when the work settles (an error marks
 * it failed; the message stays out, as it may carry customer data).
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(undefined);
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      const value = await work(span);
      span.end();
      return value;
    } catch (error) {
      ended(span, error);
      throw error;
    }
  });
}

/**
 * The root span of one HTTP request, continuing the client's trace when it sent `traceparent`.
 * Returns undefined when tracing is off.
 */
export function startRequestSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
): { span: Span; context: Context } | undefined {
  if (!enabled) return undefined;
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `work` in `ctx` (a request's span context), or directly when there is none. */
export function withContext<T>(ctx: Context | undefined, work: () => T): T {
  return ctx ? context.with(ctx, work) : work();
}

/** The current trace as job payload fields, so that a task continues its submitter's trace. */
export function traceCarrier(): Record<string, string> {
  if (!enabled) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs a queued job in a span whose parent is the trace its payload carries. */
export async function inJobSpan<T>(
  name: string,
  payload: Record<string, string>,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!enabled) return work();
  const parent = propagation.extract(context.active(), payload);
  return context.with(parent, () =>
    tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, async (span) => {
      try {
        const value = await work();
        span.end();
        return value;
      } catch (error) {
        ended(span, error);
        throw error;
      }
    }),
  );
}
