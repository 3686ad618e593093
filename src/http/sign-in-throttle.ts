import { RateLimiterMemory } from 'rate-limiter-flexible';
import { PixapiError } from '../errors.js';

const WINDOW_S = 15 * 60;

function tooManyAttempts(retryAfterS: number) {
  return new PixapiError({
    code: 'too_many_attempts',
    message: 'Too many attempts. Wait a while and try again.',
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) },
  });
}

/**
 * Slows password guessing: failed sign-ins are counted per email and address (10 per 15 min)
 * and per address (100); sign-ups and reset requests per address (20). Counted in this
 * process's memory: each process of a scaled-out server keeps its own counts.
 */
export class SignInThrottle {
  private readonly perPair = new RateLimiterMemory({ points: 10, duration: WINDOW_S });
  private readonly perAddress = new RateLimiterMemory({ points: 100, duration: WINDOW_S });
  private readonly forms = new RateLimiterMemory({ points: 20, duration: WINDOW_S });

  /** Throws 429 while either count is spent; call before checking the password. */
  async check(ip: string, email: string): Promise<void> {
    for (const [limiter, key, points] of [
      [this.perPair, `${ip}|${email}`, 10],
      [this.perAddress, ip, 100],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= points) throw tooManyAttempts(state.msBeforeNext / 1000);
    }
  }

  async failed(ip: string, email: string): Promise<void> {
    await Promise.all([this.perPair.penalty(`${ip}|${email}`, 1), this.perAddress.penalty(ip, 1)]);
  }

  async succeeded(ip: string, email: string): Promise<void> {
    await this.perPair.delete(`${ip}|${email}`);
  }

  /** Sign-ups and reset mails: one point per request. */
  async form(ip: string): Promise<void> {
    try {
      await this.forms.consume(ip);
    } catch (state) {
      throw tooManyAttempts((state as { msBeforeNext: number }).msBeforeNext / 1000);
    }
  }
}
