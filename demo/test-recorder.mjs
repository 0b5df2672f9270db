/**
 * Test mode of the demo servers: what each origin received, and the CSP reports browsers sent.
 *
 * Only Chromium (over CDP) shows a test every request body and every CSP violation of every
 * frame; Firefox over WebDriver BiDi and WebKit over classic WebDriver do not. The servers'
 * own records work the same in every engine, so the cross-engine suites assert on these: no card
 * number ever reached the merchant, and no page or frame violated its CSP (the policies name
 * CSP_REPORT_PATH as their report-uri in test mode).
 */

/** Where pages and frames send CSP reports in test mode (relative: each origin records its own). */
export const CSP_REPORT_PATH = '/__cardvault/csp-report';

/**
 * @typedef {{ origin: string, method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string }} ReceivedRequest
 * @typedef {{ origin: string, documentURI: string, violatedDirective: string, blockedURI: string }} CspReport
 * @typedef {{ requests: ReceivedRequest[], cspReports: CspReport[] }} DemoRecords
 */

/** @returns {DemoRecords} */
export function createRecords() {
  return { requests: [], cspReports: [] };
}

const MAX_RECORDED_BODY = 64 * 1024;

/**
 * Records every request `server` receives (body included) under `origin`, and answers POSTs to
 * CSP_REPORT_PATH itself (204) after recording the report. Test mode only: these records hold
 * whatever a browser sent, which is exactly what the tests must prove holds no card number.
 * @param {import('node:http').Server} server @param {() => string} origin @param {DemoRecords} records
 */
export function recordRequests(server, origin, records) {
  const listeners = /** @type {Array<(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void>} */ (server.listeners('request'));
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    // A second 'data' listener sees the same chunks as the handler's own body reader.
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size <= MAX_RECORDED_BODY) chunks.push(c);
    });
    const isReport = req.method === 'POST' && new URL(req.url ?? '/', 'http://x').pathname === CSP_REPORT_PATH;
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      records.requests.push({ origin: origin(), method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body });
      if (!isReport) return;
      records.cspReports.push(...parseReports(body).map((r) => ({ origin: origin(), ...r })));
      res.writeHead(204).end();
    });
    if (!isReport) for (const listener of listeners) listener.call(server, req, res);
  });
}

/**
 * Both report shapes: report-uri's `{ "csp-report": {…} }` and the Reporting API's
 * `[{ type: "csp-violation", body: {…} }]`.
 * @param {string} text @returns {Omit<CspReport, 'origin'>[]}
 */
function parseReports(text) {
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    // An unreadable report is still a violation: keep it, so a test cannot miss it.
    return [{ documentURI: '', violatedDirective: '(unreadable report)', blockedURI: text.slice(0, 200) }];
  }
  const items = Array.isArray(data) ? data.map((r) => r?.body ?? {}) : [/** @type {any} */ (data)?.['csp-report'] ?? data];
  return items.map((r) => ({
    documentURI: String(r['document-uri'] ?? r.documentURL ?? r.documentURI ?? ''),
    violatedDirective: String(r['violated-directive'] ?? r['effective-directive'] ?? r.effectiveDirective ?? r.violatedDirective ?? ''),
    blockedURI: String(r['blocked-uri'] ?? r.blockedURL ?? r.blockedURI ?? ''),
  }));
}
