/** How the command line shows things: a one-line progress bar on a terminal, JSON lines with --json, plain lines otherwise. */
import type { IndexingProgress } from '../../shared/dto.ts';

export interface Output {
  readonly json: boolean;
  /** A result line: printed as JSON with --json, else as the given text. */
  result(value: unknown, text: string): void;
  info(text: string): void;
  progress(value: IndexingProgress): void;
  /** A download: bytes received of total. */
  download(file: string, received: number, total: number, startedAt: number): void;
  /** Ends a progress line so the next output starts on its own line. */
  endProgress(): void;
}

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stdout): Output {
  const tty = stream.isTTY === true && !json;
  let barShown = false;
  let lastPlain = 0;
  const show = (line: string, final: boolean, columns: number) => {
    if (tty) {
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, columns - 1))}`);
      barShown = true;
    } else if (final || Date.now() - lastPlain > 5000) {
      lastPlain = Date.now();
      stream.write(`${line}\n`);
    }
  };
  return {
    json,
    result(value, text) {
      stream.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
    },
    info(text) {
      if (json) return;
      if (barShown) this.endProgress();
      stream.write(`${text}\n`);
    },
    progress(value) {
      if (json) stream.write(`${JSON.stringify({ type: 'progress', ...value })}\n`);
      else show(progressLine(value, stream.columns ?? 120), value.phase === 'done', stream.columns ?? 120);
    },
    download(file, received, total, startedAt) {
      if (json) {
        stream.write(`${JSON.stringify({ type: 'download', file, received, total })}\n`);
        return;
      }
      const seconds = (Date.now() - startedAt) / 1000;
      const rate = seconds > 0 ? received / seconds : 0;
      const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
      const eta = rate > 0 ? `  ETA ${formatDuration((total - received) / rate)}` : '';
      show(`${bar(received / total)}  ${mb(received)}/${mb(total)} MB  ${mb(rate)} MB/s${eta}  ${file}`, received >= total, stream.columns ?? 120);
    },
    endProgress() {
      if (barShown) stream.write('\n');
      barShown = false;
    },
  };
}

export function progressLine(p: IndexingProgress, columns: number): string {
  const parts = [
    p.phase.padEnd(8),
    bar(p.total > 0 ? p.done / p.total : 0),
    `${p.done}/${p.total}`,
    p.failed > 0 ? `${p.failed} failed` : '',
    p.ratePerSecond > 0 ? `${p.ratePerSecond.toFixed(1)}/s` : '',
    p.phase === 'indexing' && p.etaSeconds ? `ETA ${formatDuration(p.etaSeconds)}` : '',
  ].filter(Boolean);
  const head = parts.join('  ');
  const room = columns - head.length - 3;
  const file = p.currentFile && room > 10 ? `  ${ellipsize(p.currentFile, room)}` : '';
  return head + file;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Keeps the end of a path, which says more than its start. */
function ellipsize(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** Marks highlighted ranges with bold on a terminal, with [brackets] elsewhere. */
export function highlight(text: string, ranges: readonly { start: number; end: number }[], tty: boolean): string {
  const [open, close] = tty ? ['\x1b[1m', '\x1b[22m'] : ['[', ']'];
  let out = '';
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at) continue;
    out += text.slice(at, r.start) + open + text.slice(r.start, r.end) + close;
    at = r.end;
  }
  return out + text.slice(at);
}
