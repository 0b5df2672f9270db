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
}

export interface Demo {
  urls: { vault: string; cdn: string; merchant: string };
  keys: { publishable: string };
  /** The merchant's secret key: for tests and server-side code only, never sent to a browser. */
  secretKey: string;
  version: string;
  sri: { version: string; algorithm: string; files: Record<string, { integrity: string; path: string; bytes: number }> };
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
