/**
 * Abuse controls: the policy. The state lives in an {@link AbuseStore} (this process's memory on
 * PGlite, the database on PostgreSQL, so several vaults enforce what one does).
 *
 * - Token buckets per client IP (every route) and per API key / client token.
 * - Card testing: what a bot varies is the card, so the vault counts, in a fixed window, the
 *   DISTINCT card fingerprints and the failures (failed validations and declines) per
 *   (IP, key), per IP across keys, per key across IPs, and per card. Past a threshold the scope is
 *   blocked: 429 `card_testing_suspected` with Retry-After.
 * - Blocks are short and escalate (60 s, doubling while the client keeps at it, up to an hour), and
 *   the first to bite is per (IP, key): shoppers of another merchant behind the same NAT go on.
 * - Every block is logged with its reason and the IP / key id, never with card data.
 */
import { RetryAfterError } from './http/errors';
import type { Logger } from './log';
import type { AbuseStore, BlockRow, BucketSpec, Count, Scope } from './store/abuse';

export interface BucketLimit {
  /** Sustained requests per second. */
  rate: number;
  /** Bucket size (burst). */
  burst: number;
}

export interface CardTestingLimits {
  /** Length of the counting window (fixed windows). Default 600 s. */
  windowSeconds: number;
  /** Distinct cards one IP may tokenize with one key in a window (default 10). */
  maxCardsPerIpKey: number;
  /** Failed validations and declines of one IP with one key in a window (default 10). */
  maxFailuresPerIpKey: number;
  /** Distinct cards from one IP across all keys (default 30): a bot cycling merchants' keys. */
  maxCardsPerIp: number;
  /** Failures from one IP across all keys (default 30). */
  maxFailuresPerIp: number;
  /** Distinct cards per publishable key across all IPs (default 5,000: raise it for a busy shop). */
  maxCardsPerKey: number;
  /** Failures per publishable key across all IPs (default 500): a bot rotating IPs. */
  maxFailuresPerKey: number;
  /** A client token is one checkout: distinct cards per client token (default 3). */
  maxCardsPerClientToken: number;
  /** Failures per client token (default 5). */
  maxFailuresPerClientToken: number;
  /** Failures (validation after fingerprinting, declines) per card fingerprint, from anywhere (default 5). */
  maxFailuresPerCard: number;
  /** First block of an IP, key or (IP, key) (default 60 s); doubles on each repeat. */
  blockSeconds: number;
  /** Longest block (default 3,600 s). */
  maxBlockSeconds: number;
  /** First block of a card (default 600 s). */
  cardBlockSeconds: number;
  /** A block imposed within this long after the previous one ended escalates (default 86,400 s). */
  escalationMemorySeconds: number;
}

export interface AbuseOptions {
  perKey?: BucketLimit | false;
  perIp?: BucketLimit | false;
  /** Card-testing limits; any field left out takes its default. */
  cardTesting?: Partial<CardTestingLimits> | false;
}

export const DEFAULT_CARD_TESTING: CardTestingLimits = {
  windowSeconds: 600,
  maxCardsPerIpKey: 10,
  maxFailuresPerIpKey: 10,
  maxCardsPerIp: 30,
  maxFailuresPerIp: 30,
  maxCardsPerKey: 5000,
  maxFailuresPerKey: 500,
  maxCardsPerClientToken: 3,
  maxFailuresPerClientToken: 5,
  maxFailuresPerCard: 5,
  blockSeconds: 60,
  maxBlockSeconds: 3600,
  cardBlockSeconds: 600,
  escalationMemorySeconds: 86_400,
};

export const DEFAULT_ABUSE = {
  perKey: { rate: 1000, burst: 2000 },
  perIp: { rate: 200, burst: 400 },
  cardTesting: DEFAULT_CARD_TESTING,
} as const;

/** Who is tokenizing: the client IP and the publishable key id or `ct:<client token id>`. */
export interface Caller {
  ip: string;
  principal: string;
}

/** A block as the operator sees it (CLI `blocks list`). */
export interface BlockView {
  kind: 'ip' | 'key' | 'ip_key' | 'card';
  ip: string | null;
  key: string | null;
  reason: string;
  level: number;
  created_at: string;
  until: string;
  retry_after: number;
}

const PURGE_EVERY_MS = 60_000;
/**
 * A refusal from the shared store is remembered by this process for at most this long, so a
 * refused client's flood costs no database trip and no decryption; never longer, so a block lifted
 * by the operator in another process is lifted here within a second.
 */
const REFUSAL_MEMO_MS = 1_000;
const MAX_MEMO = 10_000;

export const scopes = {
  ip: (ip: string): Scope => ({ scope: `ip:${ip}`, ip, principal: null }),
  key: (principal: string): Scope => ({ scope: `key:${principal}`, ip: null, principal }),
  ipKey: (ip: string, principal: string): Scope => ({ scope: `ipkey:${ip} ${principal}`, ip, principal }),
  card: (fingerprint: string): Scope => ({ scope: `card:${fingerprint}`, ip: null, principal: null }),
};

function kindOf(scope: string): BlockView['kind'] {
  return scope.startsWith('ipkey:') ? 'ip_key' : scope.startsWith('ip:') ? 'ip' : scope.startsWith('key:') ? 'key' : 'card';
}

export class Abuse {
  private readonly perIp: BucketLimit | false;
  private readonly perKey: BucketLimit | false;
  private readonly ct: CardTestingLimits | false;
  private lastPurge = 0;
  private readonly refusals = new Map<string, { until: number; endsAt: number; code: 'rate_limited' | 'card_testing_suspected' }>();

  constructor(
    options: AbuseOptions,
    private readonly now: () => number,
    readonly store: AbuseStore,
    private readonly log: Logger,
  ) {
    this.perIp = options.perIp ?? DEFAULT_ABUSE.perIp;
    this.perKey = options.perKey ?? DEFAULT_ABUSE.perKey;
    this.ct = options.cardTesting === false ? false : { ...DEFAULT_CARD_TESTING, ...(options.cardTesting ?? {}) };
  }

  private win(now: number): number {
    return this.ct === false ? 0 : Math.floor(now / (this.ct.windowSeconds * 1000));
  }

  /** Purges ended windows now and then (once a minute per process), off the request's path. */
  private maybePurge(now: number): void {
    if (now - this.lastPurge < PURGE_EVERY_MS && now >= this.lastPurge) return;
    this.lastPurge = now;
    const memory = this.ct === false ? 0 : this.ct.escalationMemorySeconds * 1000;
    void this.store.purge(now, this.win(now), memory).catch((error: unknown) => this.log.warn('abuse_purge_failed', { message: String(error) }));
  }

  private throwIfLimited(wait: number, block: BlockRow | null, now: number, memo?: string): void {
    let error: RetryAfterError | null = null;
    if (block !== null) error = new RetryAfterError('card_testing_suspected', Math.max(1, Math.ceil((block.until - now) / 1000)));
    else if (wait > 0) error = new RetryAfterError('rate_limited', wait);
    if (error === null) return;
    // A blocked card says nothing about the caller's next card: only caller refusals are memoized.
    if (memo !== undefined && (block === null || kindOf(block.scope) !== 'card')) {
      if (this.refusals.size >= MAX_MEMO) this.refusals.clear();
      this.refusals.set(memo, {
        until: now + Math.min(REFUSAL_MEMO_MS, error.retryAfter * 1000),
        endsAt: now + error.retryAfter * 1000,
        code: error.code as 'rate_limited' | 'card_testing_suspected',
      });
    }
    throw error;
  }

  private memoKey(c: Caller): string {
    return `${c.ip} ${c.principal}`;
  }

  /** The per-IP bucket, taken by every route but POST /v1/tokens (which gates itself in one trip). */
  async checkIp(ip: string): Promise<void> {
    if (this.perIp === false) return;
    const now = this.now();
    this.maybePurge(now);
    const r = await this.store.gate([{ name: `ip:${ip}`, ...this.perIp }], [], now);
    this.throwIfLimited(r.bucketWait, null, now);
  }

  /** The per-key bucket of secret-key routes. */
  async checkKey(keyId: string): Promise<void> {
    if (this.perKey === false) return;
    const now = this.now();
    const r = await this.store.gate([{ name: `key:${keyId}`, ...this.perKey }], [], now);
    this.throwIfLimited(r.bucketWait, null, now);
  }

  /**
   * Before a tokenization reads the card: refuses at once (no database trip) a caller this process
   * was told to refuse less than a second ago. The shared checks run in {@link admit}.
   */
  gateTokenization(c: Caller): void {
    const now = this.now();
    this.maybePurge(now);
    const memo = this.refusals.get(this.memoKey(c));
    if (memo === undefined) return;
    if (memo.until > now) throw new RetryAfterError(memo.code, Math.max(1, Math.ceil((memo.endsAt - now) / 1000)));
    this.refusals.delete(this.memoKey(c));
  }

  private buckets(c: Caller): BucketSpec[] {
    const buckets: BucketSpec[] = [];
    if (this.perIp !== false) buckets.push({ name: `ip:${c.ip}`, ...this.perIp });
    if (this.perKey !== false) buckets.push({ name: `key:${c.principal}`, ...this.perKey });
    return buckets;
  }

  private blockScopes(c: Caller, fingerprint?: string): string[] {
    if (this.ct === false) return [];
    const list = [scopes.ip(c.ip), scopes.key(c.principal), scopes.ipKey(c.ip, c.principal)].map((s) => s.scope);
    if (fingerprint !== undefined) list.push(scopes.card(fingerprint).scope);
    return list;
  }

  private callerScopes(c: Caller): Scope[] {
    return [scopes.ipKey(c.ip, c.principal), scopes.ip(c.ip), scopes.key(c.principal)];
  }

  private limitFor(count: Count, kind: 'cards' | 'failures'): number {
    const ct = this.ct as CardTestingLimits;
    const k = kindOf(count.scope);
    const isClientToken = count.principal?.startsWith('ct:') === true;
    if (kind === 'cards') {
      if (k === 'ip_key') return ct.maxCardsPerIpKey;
      if (k === 'ip') return ct.maxCardsPerIp;
      if (k === 'key') return isClientToken ? ct.maxCardsPerClientToken : ct.maxCardsPerKey;
      return Infinity;
    }
    if (k === 'ip_key') return ct.maxFailuresPerIpKey;
    if (k === 'ip') return ct.maxFailuresPerIp;
    if (k === 'key') return isClientToken ? ct.maxFailuresPerClientToken : ct.maxFailuresPerKey;
    return ct.maxFailuresPerCard;
  }

  private async impose(count: Count, reason: string, now: number): Promise<BlockRow> {
    const ct = this.ct as CardTestingLimits;
    const isCard = kindOf(count.scope) === 'card';
    const base = (isCard ? ct.cardBlockSeconds : ct.blockSeconds) * 1000;
    const row = await this.store.block({
      scope: { scope: count.scope, ip: count.ip, principal: count.principal },
      reason,
      now,
      baseMs: base,
      maxMs: Math.max(base, ct.maxBlockSeconds * 1000),
      memoryMs: ct.escalationMemorySeconds * 1000,
    });
    if (row.createdAt === now) {
      // The reason, who, and for how long: never a card number (a card block names its keyed fingerprint).
      this.log.warn('card_testing_block', {
        scope: kindOf(row.scope),
        ...(row.ip !== null ? { ip: row.ip } : {}),
        ...(row.principal !== null ? { key_id: row.principal } : {}),
        ...(isCard ? { fingerprint: row.scope.slice('card:'.length) } : {}),
        reason: row.reason,
        count: count.n,
        escalation: row.level,
        seconds: Math.round((row.until - now) / 1000),
      });
    }
    return row;
  }

  /**
   * Once the card is fingerprinted, in one round trip: the IP and key buckets, any block on this
   * IP, key, (IP, key) or card, and the card counted as seen by this IP, key and (IP, key). A card
   * new to a scope that takes it past its distinct-card limit blocks that scope and refuses this
   * request.
   */
  async admit(c: Caller, fingerprint: string): Promise<void> {
    const now = this.now();
    const buckets = this.buckets(c);
    if (this.ct === false) {
      if (buckets.length > 0) this.throwIfLimited((await this.store.gate(buckets, [], now)).bucketWait, null, now, this.memoKey(c));
      return;
    }
    const r = await this.store.admit({
      buckets,
      blockScopes: this.blockScopes(c, fingerprint),
      scopes: this.callerScopes(c),
      fingerprint,
      win: this.win(now),
      now,
    });
    let block = r.block;
    for (const count of r.counts) {
      const max = this.limitFor(count, 'cards');
      if (count.n > max) {
        const row = await this.impose(count, `more than ${max} distinct cards in ${this.ct.windowSeconds} s`, now);
        if (block === null || row.until > block.until) block = row;
      }
    }
    this.throwIfLimited(r.bucketWait, block, now, this.memoKey(c));
  }

  private async failed(counts: readonly Count[], what: string, now: number): Promise<void> {
    for (const count of counts) {
      const max = this.limitFor(count, 'failures');
      if (count.n >= max) await this.impose(count, `${count.n} ${what} in ${(this.ct as CardTestingLimits).windowSeconds} s`, now);
    }
  }

  /**
   * A failed card validation: takes the buckets and checks blocks (a refused caller gets its 429
   * rather than the validation error), then counts the failure against the IP, key and (IP, key).
   */
  async recordValidationFailure(c: Caller): Promise<void> {
    const now = this.now();
    const buckets = this.buckets(c);
    const blockScopes = this.blockScopes(c);
    if (buckets.length > 0 || blockScopes.length > 0) {
      const r = await this.store.gate(buckets, blockScopes, now);
      this.throwIfLimited(r.bucketWait, r.block, now, this.memoKey(c));
    }
    if (this.ct === false) return;
    await this.failed(await this.store.addFailure(this.callerScopes(c), this.win(now)), 'failed validations and declines', now);
  }

  /**
   * A declined charge: counted against the card and against every IP, key and (IP, key) that
   * tokenized this card in the window (the charge comes from the merchant's server, not the bot).
   */
  async recordDecline(fingerprint: string): Promise<void> {
    if (this.ct === false) return;
    const now = this.now();
    await this.failed(await this.store.addFailure([scopes.card(fingerprint)], this.win(now), fingerprint), 'failed validations and declines', now);
  }

  /** Throws 429 when this card is blocked (charges check it before spending a token). */
  async checkCard(fingerprint: string): Promise<void> {
    if (this.ct === false) return;
    const now = this.now();
    const r = await this.store.gate([], [scopes.card(fingerprint).scope], now);
    this.throwIfLimited(0, r.block, now);
  }

  /** Live blocks, for the operator. */
  async listBlocks(): Promise<BlockView[]> {
    const now = this.now();
    return (await this.store.listBlocks(now)).map((b) => ({
      kind: kindOf(b.scope),
      ip: b.ip,
      key: b.principal,
      reason: b.reason,
      level: b.level,
      created_at: new Date(b.createdAt).toISOString(),
      until: new Date(b.until).toISOString(),
      retry_after: Math.max(1, Math.ceil((b.until - now) / 1000)),
    }));
  }

  /** Clears the blocks (and counters) of an IP, a key, both, or (no filter) all; returns how many blocks. */
  async clearBlocks(filter: { ip?: string; key?: string }): Promise<number> {
    this.refusals.clear();
    return this.store.clear({
      ...(filter.ip !== undefined ? { ip: filter.ip } : {}),
      ...(filter.key !== undefined ? { principal: filter.key } : {}),
    });
  }
}
