/**
 * Card testing as a bot does it (issue 12), against the DEFAULT limits, on PGlite and PostgreSQL.
 * Each strategy counts how many cards got through before the vault said 429
 * `card_testing_suspected`; the figures are printed (the decision note 0011 quotes them).
 * The clock is frozen at the start of a counting window so a window never ends mid-test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clearBlocks, listBlocks } from '../../server/src/admin/blocks';
import { invalid, visa } from './card-numbers';
import { backends, bearer, cardForm, postForm, startTestVault, type Res, type TestVault } from './helpers';

const WINDOW_MS = 600_000;
const DECLINING = ['4000000000000002', '4000000000009995', '4000000000000069', '4000000000000127'];

function report(strategy: string, backend: string, through: number, of: number): void {
  console.log(`[card-testing] ${backend}: ${strategy}: ${through} of ${of} got through before the block`);
}

function isBlock(r: Res): boolean {
  return r.status === 429 && r.body?.error?.code === 'card_testing_suspected';
}

describe.each(backends())('card testing on $name', (backend) => {
  let v: TestVault | undefined;
  afterEach(async () => {
    await v?.close();
    v = undefined;
  });

  async function start(options: { trustProxy?: number | string } = {}): Promise<TestVault> {
    v = await startTestVault(backend, { abuse: {}, ...options });
    v.clock.now = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS + 1_000;
    return v;
  }

  async function secondKey(t: TestVault): Promise<string> {
    const other = await postForm(`${t.url}/v1/api_keys`, { type: 'publishable' }, bearer(t.keys.secretKey));
    expect(other.status).toBe(200);
    return other.body.secret as string;
  }

  it('blocks one IP and key after 10 distinct cards, logs why without card data, and the operator clears it', async () => {
    const t = await start();
    const tried: string[] = [];
    let through = 0;
    let blocked: Res | undefined;
    for (let i = 0; i < 60 && !blocked; i++) {
      tried.push(visa(i));
      const r = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, visa(i)));
      if (r.status === 200) through++;
      else if (isBlock(r)) blocked = r;
      else throw new Error(`unexpected ${r.status} ${r.text}`);
    }
    report('distinct valid cards, one IP, one key', backend.name, through, tried.length);
    expect(through).toBe(10);
    expect(Number(blocked!.headers.get('retry-after'))).toBe(60);
    // A card already tokenized is not "new": the shopper retrying their own card is not counted…
    // …but the (IP, key) is blocked for 60 s, for every card.
    expect(isBlock(await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, visa(0))))).toBe(true);
    // Shoppers of another shop behind the same IP go on.
    expect((await postForm(`${t.url}/v1/tokens`, cardForm(await secondKey(t)))).status).toBe(200);

    const entry = t.logs.find((e) => e.msg === 'card_testing_block');
    expect(entry).toMatchObject({ level: 'warn', scope: 'ip_key', ip: '127.0.0.1', reason: expect.stringMatching(/distinct cards/) });
    const logText = JSON.stringify(t.logs);
    for (const n of tried) expect(logText).not.toContain(n);

    const listed = (await listBlocks({ vault: t.server.vault, store: t.store }, {})).blocks;
    expect(listed).toEqual([expect.objectContaining({ kind: 'ip_key', ip: '127.0.0.1', retry_after: 60, level: 1 })]);
    expect(await clearBlocks({ vault: t.server.vault, store: t.store }, { ip: '127.0.0.1' })).toEqual({ cleared: 1 });
    expect((await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, visa(100)))).status).toBe(200);
  });

  it('counts declines against the IP and key, not only the card: a bot cycling cards is stopped', async () => {
    const t = await start();
    let declines = 0;
    let attempts = 0;
    for (let i = 0; i < 40; i++) {
      attempts++;
      const tok = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, DECLINING[i % 4], { 'card[cvc]': String(100 + i) }));
      if (isBlock(tok)) break;
      const charge = await postForm(`${t.url}/v1/charges`, { token: tok.body.id, amount: '100', currency: 'usd' }, bearer(t.keys.secretKey));
      expect(charge.status).toBe(402);
      declines++;
    }
    report('declining cards cycled (charged by the shop)', backend.name, declines, attempts);
    expect(declines).toBe(10);
    // Not only those cards: this IP with this key cannot try a fresh one either.
    expect(isBlock(await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, visa(1))))).toBe(true);
  });

  it('blocks (IP, key) briefly after 10 failed validations, escalates, and spares other shops behind the NAT', async () => {
    const t = await start();
    let failures = 0;
    let blocked: Res | undefined;
    for (let i = 0; i < 60 && !blocked; i++) {
      const r = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, invalid(i)));
      if (isBlock(r)) blocked = r;
      else {
        expect(r.body.error.code).toBe('invalid_number');
        failures++;
      }
    }
    report('invalid card numbers, one IP, one key', backend.name, failures, failures + 1);
    expect(failures).toBe(10);
    expect(Number(blocked!.headers.get('retry-after'))).toBe(60);
    const neighbour = await secondKey(t);
    expect((await postForm(`${t.url}/v1/tokens`, cardForm(neighbour))).status).toBe(200);
    // The bot carries on after its block: the next block is twice as long.
    t.clock.now += 61_000;
    expect((await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, invalid(99)))).body.error.code).toBe('invalid_number');
    const again = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey));
    expect(isBlock(again)).toBe(true);
    expect(Number(again.headers.get('retry-after'))).toBe(120);
    expect((await postForm(`${t.url}/v1/tokens`, cardForm(neighbour))).status).toBe(200);
  });

  it('gives a client token a budget of 3 distinct cards', async () => {
    const t = await start();
    const ct = await postForm(`${t.url}/v1/client_tokens`, { max_uses: '50' }, bearer(t.keys.secretKey));
    let through = 0;
    let i = 0;
    for (; i < 20; i++) {
      const r = await postForm(`${t.url}/v1/tokens`, withoutKey(cardForm('x', visa(i, 3)), ct.body.secret as string));
      if (r.status === 200) through++;
      else if (isBlock(r)) break;
      else throw new Error(`unexpected ${r.status} ${r.text}`);
    }
    report('distinct cards through one client token', backend.name, through, i + 1);
    expect(through).toBe(3);
  });

  it('trusts only the proxy-appended X-Forwarded-For entry (CARDVAULT_TRUST_PROXY=1)', async () => {
    const t = await start({ trustProxy: 1 });
    // The bot writes its own X-Forwarded-For; our one proxy appends the address it saw (203.0.113.7).
    let failures = 0;
    let blocked = false;
    for (let i = 0; i < 60 && !blocked; i++) {
      const r = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey, invalid(i)), {
        'x-forwarded-for': `198.51.100.${i % 200}, 203.0.113.7`,
      });
      if (isBlock(r)) blocked = true;
      else failures++;
    }
    report('invalid cards with a rotating client-written X-Forwarded-For', backend.name, failures, failures + (blocked ? 1 : 0));
    expect(blocked).toBe(true);
    expect(failures).toBe(10);
    // The shopper whose address the bot kept naming is not blocked.
    const innocent = await postForm(`${t.url}/v1/tokens`, cardForm(t.keys.publishableKey), { 'x-forwarded-for': '198.51.100.9' });
    expect(innocent.status).toBe(200);
  });
});

function withoutKey(form: Record<string, string>, clientToken: string): Record<string, string> {
  const { key: _key, ...rest } = form;
  return { ...rest, client_token: clientToken };
}
