import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Field names whose values are never logged, wherever they sit in a log object. */
const REDACTED_PATHS = [
  'token',
  'apiKey',
  'password',
  'secret',
  'ipnSecret',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.ipnSecret',
  '*.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Secret values scrubbed from every line, e.g. a bot token inside an error's URL. */
  secrets?: string[];
  destination?: pino.DestinationStream;
}

/** JSON lines on stdout. Secrets are removed by field name and, as a last guard, by value. */
export function createLogger({ level, secrets = [], destination }: LoggerOptions): Logger {
  const scrub = secrets.filter((s) => s.length >= 4);
  return pino(
    {
      level,
      base: { app: 'techbot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => scrub.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), line),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
