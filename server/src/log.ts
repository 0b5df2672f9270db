/**
 * Structured JSON logs. Call sites pass only whitelisted fields — request id, route pattern,
 * status, durations, error code, key id prefix — never a request body, a card number or a CVC.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  msg: string;
  time: string;
  [field: string]: unknown;
}

export type LogSink = (entry: LogEntry) => void;

/** One JSON object per line on stdout (or any writable). */
export function jsonLineSink(write: (line: string) => void = (line) => process.stdout.write(line)): LogSink {
  return (entry) => write(`${JSON.stringify(entry)}\n`);
}

/** Discards everything (tests that do not inspect logs). */
export const silentSink: LogSink = () => {};

export class Logger {
  constructor(private readonly sink: LogSink) {}

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    try {
      this.sink({ level, msg, time: new Date().toISOString(), ...fields });
    } catch {
      // A broken sink must never take a request down.
    }
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }
}

/**
 * What an unexpected error may put in a log: its class, a database SQLSTATE and the stack frames —
 * not its message, since driver messages can quote parameter values (card data included).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error_type: typeof error };
  const out: Record<string, unknown> = { error_name: error.name };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) out.error_code = code;
  if (error.stack) out.stack = error.stack.split('\n').slice(1, 8).map((l) => l.trim());
  return out;
}
