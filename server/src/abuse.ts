/**
 * Abuse controls, in memory per process:
 * - token buckets per API key and per client IP (rate limiting);
 * - card-testing defence: failed card validations per IP and declines per card fingerprint,
 *   counted in a fixed window; past the threshold the IP or card is refused with
 *   429 `card_testing_suspected` and a Retry-After until the window ends.
 */
export interface BucketLimit {
  /** Sustained requests per second. */
  rate: number;
  /** Bucket size (burst). */
  burst: number;
}

export interface CardTestingLimits {
  windowSeconds: number;
  /** Failed validations (and declined charges) per client IP in a window. */
  maxFailuresPerIp: number;
  /** Declines or failures per card fingerprint in a window. */
  maxFailuresPerCard: number;
}

export interface AbuseOptions {
  perKey?: BucketLimit | false;
  perIp?: BucketLimit | false;
  cardTesting?: CardTestingLimits | false;
}

export const DEFAULT_ABUSE: Required<AbuseOptions> = {
  perKey: { rate: 1000, burst: 2000 },
  perIp: { rate: 200, burst: 400 },
  cardTesting: { windowSeconds: 600, maxFailuresPerIp: 20, maxFailuresPerCard: 5 },
};

const MAX_ENTRIES = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

interface Window {
  count: number;
  start: number;
}

export class Abuse {
  private readonly buckets = new Map<string, Bucket>();
  private readonly failures = new Map<string, Window>();
  private readonly limits: Required<AbuseOptions>;

  constructor(
    options: AbuseOptions,
    private readonly now: () => number,
  ) {
    this.limits = { ...DEFAULT_ABUSE, ...options };
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  private take(key: string, limit: BucketLimit | false): number {
    if (limit === false) return 0;
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_ENTRIES) this.prune();
      b = { tokens: limit.burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.rate));
  }

  checkIp(ip: string): number {
    return this.take(`ip:${ip}`, this.limits.perIp);
  }

  checkKey(keyId: string): number {
    return this.take(`key:${keyId}`, this.limits.perKey);
  }

  private windowFor(key: string): Window | undefined {
    const ct = this.limits.cardTesting;
    if (ct === false) return undefined;
    const w = this.failures.get(key);
    if (w && this.now() - w.start >= ct.windowSeconds * 1000) {
      this.failures.delete(key);
      return undefined;
    }
    return w;
  }

  private record(key: string): void {
    if (this.limits.cardTesting === false) return;
    const w = this.windowFor(key);
    if (w) w.count++;
    else {
      if (this.failures.size >= MAX_ENTRIES) this.prune();
      this.failures.set(key, { count: 1, start: this.now() });
    }
  }

  private blocked(key: string, max: number): number {
    const ct = this.limits.cardTesting;
    if (ct === false) return 0;
    const w = this.windowFor(key);
    if (!w || w.count < max) return 0;
    return Math.max(1, Math.ceil((w.start + ct.windowSeconds * 1000 - this.now()) / 1000));
  }

  recordIpFailure(ip: string): void {
    this.record(`ip:${ip}`);
  }

  recordCardFailure(fingerprint: string): void {
    this.record(`card:${fingerprint}`);
  }

  /** Seconds the IP must wait, or 0. */
  ipBlocked(ip: string): number {
    const ct = this.limits.cardTesting;
    return ct === false ? 0 : this.blocked(`ip:${ip}`, ct.maxFailuresPerIp);
  }

  /** Seconds before this card may be tried again, or 0. */
  cardBlocked(fingerprint: string): number {
    const ct = this.limits.cardTesting;
    return ct === false ? 0 : this.blocked(`card:${fingerprint}`, ct.maxFailuresPerCard);
  }

  /** Drops full buckets and ended windows; bounds memory under an IP-spraying attack. */
  private prune(): void {
    const now = this.now();
    for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
    const ct = this.limits.cardTesting;
    const windowMs = ct === false ? 0 : ct.windowSeconds * 1000;
    for (const [k, w] of this.failures) if (now - w.start >= windowMs) this.failures.delete(k);
    if (this.buckets.size >= MAX_ENTRIES) this.buckets.clear();
    if (this.failures.size >= MAX_ENTRIES) this.failures.clear();
  }
}
