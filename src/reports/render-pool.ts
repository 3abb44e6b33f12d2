import { Worker } from 'node:worker_threads';
import type {
  ReadJob,
  ReadRequestsJob,
  ReadRequestsResult,
  ReadResult,
  RenderJob,
  RenderReply,
} from './render-jobs.js';

// Compiled (npm start): the worker's JavaScript. Under the tests and tsx the sources are TypeScript, which a new
// thread cannot load by itself: a one-line bootstrap registers tsx in the thread first (resolved from the working
// directory, the project root for the tests and `npm run dev`).
function workerEntry(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./render-worker.js', import.meta.url), {}];
  const entry = new URL('./render-worker.ts', import.meta.url).href;
  return [
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  ];
}

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (r: Buffer | ReadResult | ReadRequestsResult) => void; reject: (e: Error) => void }>;
}

/**
 * Documents (PDF, Excel) are built on a render thread, not on the thread that serves pages:
 * - a 50-finding audit report takes ~0.5 s of CPU; on the main thread every other user's page would wait for it;
 * - pdfmake with the CJK fonts and exceljs's in-memory workbooks grow a heap by ~150 MB; the thread's heap is
 *   returned whole when it stops, so the server's memory goes back down (bench/README.md: the export's peak fell
 *   from 437 to 246–282 MB).
 * One thread (the machine has two cores: one serves, one renders); jobs queue on it. It stays `idleMs` (1 s) after its
 * last job, so that a burst of downloads shares a warm thread, then stops.
 */
export class RenderPool {
  #thread: Thread | null = null;
  #nextId = 1;
  #idle: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = 1000) {}

  /** Whether the render thread is running (it stops when idle, giving its memory back). */
  get running(): boolean {
    return this.#thread !== null;
  }

  render(job: RenderJob): Promise<Buffer> {
    return this.#run(job) as Promise<Buffer>;
  }

  /**
   * Reads an uploaded workbook on the thread: a hostile file (a zip bomb, a million rows) costs the thread, never the
   * serving thread, and is refused by its limits before it is parsed. The bytes are copied to the thread.
   */
  read(job: ReadJob): Promise<ReadResult> {
    return this.#run(job) as Promise<ReadResult>;
  }

  /** An uploaded evidence request list, read on the thread under the same kind of limits. */
  readRequests(job: ReadRequestsJob): Promise<ReadRequestsResult> {
    return this.#run(job) as Promise<ReadRequestsResult>;
  }

  #run(job: RenderJob | ReadJob | ReadRequestsJob): Promise<Buffer | ReadResult | ReadRequestsResult> {
    const thread = this.#thread ?? this.#start();
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    const id = this.#nextId++;
    return new Promise<Buffer | ReadResult | ReadRequestsResult>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    const t = this.#thread;
    this.#thread = null;
    if (t) await t.worker.terminate();
  }

  #start(): Thread {
    const [entry, options] = workerEntry();
    // A runaway document ends the render thread (its requests fail), never the server.
    const worker = new Worker(entry, { ...options, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (m: RenderReply) => {
      const p = thread.pending.get(m.id);
      if (!p) return;
      thread.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(`render thread: ${m.error}`));
      else if ('value' in m) p.resolve(m.value);
      else p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      if (thread.pending.size === 0 && this.#thread === thread)
        this.#idle = setTimeout(() => {
          void this.#stop(thread);
        }, this.idleMs).unref();
    });
    // A thread that dies fails its own requests; the next document starts a new one.
    const fail = (err: Error) => {
      if (this.#thread === thread) this.#thread = null;
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`render thread stopped (exit code ${code})`)));
    this.#thread = thread;
    return thread;
  }

  async #stop(thread: Thread) {
    if (this.#thread !== thread || thread.pending.size > 0) return;
    this.#thread = null;
    await thread.worker.terminate();
  }
}
