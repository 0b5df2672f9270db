/** Types of scripts/test-summary.mjs (plain Node ESM), for its unit test. */
export declare function summarise(json: unknown, root: string): { lines: string[]; failed: boolean };
