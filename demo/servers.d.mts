/** Types of demo/servers.mjs (plain Node ESM), for the TypeScript end-to-end tests. */
export interface DemoOptions {
  /** Ports; 0 picks a free one. Defaults: vault 4242, cdn 4243, merchant 4244. */
  ports?: { vault?: number; cdn?: number; merchant?: number };
  /** Vault data directory. Default demo/.data. */
  dataDir?: string;
  /** No log lines. */
  quiet?: boolean;
  /** Host name used in URLs and CSP sources. Default `localhost`. */
  publicHost?: string;
  /** Test mode: record every request the CDN and merchant receive, and take CSP reports. */
  record?: boolean;
}

/** A request as the demo's CDN or merchant server received it (test mode). */
export interface ReceivedRequest {
  origin: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One CSP violation report, from a page (merchant origin) or a frame (CDN origin). */
export interface CspReport {
  origin: string;
  documentURI: string;
  violatedDirective: string;
  blockedURI: string;
}

/** What the demo servers saw in test mode. */
export interface DemoRecords {
  requests: ReceivedRequest[];
  cspReports: CspReport[];
}

export interface Demo {
  urls: { vault: string; cdn: string; merchant: string };
  keys: { publishable: string };
  /** The merchant's secret key: for tests and server-side code only, never sent to a browser. */
  secretKey: string;
  version: string;
  sri: { version: string; algorithm: string; files: Record<string, { integrity: string; path: string; bytes: number }> };
  /** Present when started with `record: true`. */
  records?: DemoRecords;
  close(): Promise<void>;
}

export declare const ROOT: string;
export declare const DEFAULT_PORTS: Readonly<{ vault: number; cdn: number; merchant: number }>;
export declare const DEFAULT_DATA_DIR: string;
export declare class PortInUseError extends Error {
  readonly code: 'EADDRINUSE';
  readonly port: number;
}
export declare function startDemo(options?: DemoOptions): Promise<Demo>;
