// The processes backend's side of the engine: worker processes (process.js), each a Web
// Worker with a WebAssembly instance of its own, that share no memory with the engine.
// The engine's instance plans a run and collects its answers (a MapRun over a Dispatch);
// this module carries the messages between them:
//
//   engine -> process  { type: 'init', module }              then  { type: 'ready' }
//   engine -> process  { type: 'tasks', run, kernel, tasks: [{ task, input: Uint8Array }] }
//   process -> engine  { type: 'answers', messages }, each message one of
//                      { type: 'started', task, at }          (tasks with simulated work only)
//                      { type: 'finished', task, start, end, status, output: Uint8Array }
//                      { type: 'crashed', task, message, panicked }   it threw (a panic, or
//                                                             another trap); it is not used again
//   engine -> process  { type: 'cancel', key }                (a run's id, or a process's)
//   engine -> process  { type: 'process', key, name, arg, timeScale }   a lesson's Process
//   process -> engine  { type: 'print', key, text, at }  and  { type: 'exit', key, status | error }
//
// Times are milliseconds on the clock all workers share (timeOrigin + now). Each process
// holds a Web Lock for its life (life.js), so that its death is noticed however it comes.

import { startWorker } from './assets.js';
import { lifeLockName, watchLife } from './life.js';

/**
 * Waits `ms`; resolves with `true`, or with `false` as soon as anyone calls the waker this
 * puts in `wakers` (a cancel). The engine's lessons and each process sleep this way.
 * @param {number} ms @param {Set<() => void>} wakers
 * @returns {Promise<boolean>}
 */
export function sleep(ms, wakers) {
  return new Promise((resolve) => {
    const wake = () => { clearTimeout(timer); wakers.delete(wake); resolve(false); };
    const timer = setTimeout(() => { wakers.delete(wake); resolve(true); }, ms);
    wakers.add(wake);
  });
}

/** One worker process of a pool. */
class Child {
  /** @param {WebAssembly.Module} module @param {number} n */
  constructor(module, n) {
    this.worker = startWorker(new URL('process.js', import.meta.url), `webpool-process-${n}`);
    /** @type {(data: any) => void} who listens now: the run it works for */
    this.listen = () => {};
    /** @type {(error: Error) => void} told once if the process fails or dies */
    this.fail = () => {};
    /** Set once it has failed: it is never given work again. */
    this.broken = false;
    const lock = lifeLockName('process');
    /** Tells of the process's death, however it comes (terminated, out of memory). */
    this.life = { stop: () => {} };
    /** @param {Error} error */
    const failed = (error) => {
      if (this.broken) return;
      this.broken = true;
      this.life.stop();
      this.fail(error);
    };
    this.ready = new Promise((resolve, reject) => {
      /** @param {Error} error */
      const broke = (error) => {
        reject(error);
        failed(error);
      };
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'held') {
          this.life = watchLife(lock, () => broke(new Error(`worker process ${n} stopped`)));
        } else if (data.type === 'ready') {
          resolve(undefined);
        } else if (data.type === 'failed') {
          broke(new Error(`worker process ${n} could not start: ${data.message}`));
        } else {
          this.listen(data);
        }
      };
      this.worker.onerror = (event) => broke(new Error(`a worker process failed: ${event.message || 'it could not start'}`));
    });
    this.ready.catch(() => {});  // a failure reaches whoever listens through fail()
    this.worker.postMessage({ type: 'init', module, lock });
  }

  /** Ends the process on purpose: no death is reported. */
  terminate() {
    this.life.stop();
    this.broken = true;
    this.worker.terminate();
  }
}

/** The engine's worker processes and what its instance asks of them (src/wasm/host.rs). */
export class Processes {
  /** @param {WebAssembly.Module} module the processes build, compiled once */
  constructor(module) {
    this.#module = module;
  }

  #module;
  /** @type {Child[]} processes not working for a run */
  #idle = [];
  #started = 0;
  /** How many processes the pool started with: that many stay, idle or not. */
  #prestarted = 0;
  #nextKey = 1;
  /** @type {Map<object, () => void>} how to cancel each run being driven, by its MapRun */
  #drives = new Map();
  /**
   * What each lesson is doing here, by the lesson's key: cancelling one lesson reaches its
   * own sleeps, processes and runs, and nothing else.
   * @type {Map<number, Set<() => void>>}
   */
  #lessons = new Map();

  /** The cancels of lesson `key`'s sleeps, processes and runs. @param {number} key */
  #lessonCancels(key) {
    let cancels = this.#lessons.get(key);
    if (!cancels) this.#lessons.set(key, (cancels = new Set()));
    return cancels;
  }

  /** Starts `count` processes ahead of the first run and waits until they are ready. */
  /** @param {number} count */
  async prestart(count) {
    this.#prestarted = count;
    const children = this.#take(count);
    await Promise.all(children.map((c) => c.ready));
    this.#idle.push(...children);
  }

  /** The functions the instance imports as `webpoolHost`. */
  host() {
    return {
      drive: (/** @type {any} */ run, /** @type {number} */ key) => {
        const cancels = this.#lessonCancels(key);
        const cancel = () => this.cancel(run);
        cancels.add(cancel);
        return this.drive(run).finally(() => {
          cancels.delete(cancel);
          run.free();
        });
      },
      sleep: (/** @type {number} */ ms, /** @type {number} */ key) => sleep(ms, this.#lessonCancels(key)),
      startProcess: (
        /** @type {string} */ name, /** @type {number} */ arg, /** @type {number} */ timeScale,
        /** @type {(text: string, at: number) => void} */ onPrint, /** @type {number} */ key,
      ) => this.#startProcess(name, arg, timeScale, onPrint, key),
    };
  }

  /**
   * Drives `run` (a MapRun) on `run.report().workers` processes of its own: hands each free
   * process its next task, tells the run each answer, and calls `onProgress` after each.
   * Resolves when every answer is in.
   * @param {any} run
   * @param {() => void} [onProgress]
   */
  drive(run, onProgress = () => {}) {
    const key = this.#nextKey++;
    const kernel = run.kernel();
    const children = this.#take(run.report().workers);
    /** @type {Map<Child, number>} how many tasks each busy process has */
    const busy = new Map();
    // Python's pool queues every task ahead, so a worker never waits for the next one.
    // Tasks without simulated work are over in microseconds, so each process is given a
    // few at once and a message's round trip is not paid per task. Tasks that sleep, spin
    // or really compute (collatz) go one at a time, so that the free worker takes the next,
    // as in Python.
    const depth = kernel.work === 'none' && !kernel.costly ? 4 : 1;
    return new Promise((resolve, reject) => {
      let ended = false;
      const end = (/** @type {unknown} */ error = undefined) => {
        if (ended) return;
        ended = true;
        this.#drives.delete(run);
        for (const child of children) {
          child.listen = () => {};
          child.fail = () => {};
        }
        // A process that failed, or that still works on a cancelled task, is not reused.
        for (const child of children) {
          if (busy.has(child) || child.broken) child.terminate();
          else this.#idle.push(child);
        }
        // Idle processes beyond what this run or the pool's start needed are let go: after
        // a run on 256 workers, 254 instances need not stay alive for runs on 2.
        while (this.#idle.length > Math.max(children.length, this.#prestarted)) this.#idle.pop()?.terminate();
        if (error) reject(error);
        else resolve(undefined);
      };
      /** Tops `child` up to `depth` tasks, all in one message. */
      const handOut = (/** @type {Child} */ child, /** @type {number} */ worker) => {
        const tasks = [];
        while ((busy.get(child) ?? 0) < depth) {
          const task = run.nextTask(worker);
          if (task === undefined) break;
          tasks.push({ task, input: run.taskInput(task) });
          busy.set(child, (busy.get(child) ?? 0) + 1);
        }
        if (tasks.length === 0) return;
        child.worker.postMessage({ type: 'tasks', run: key, kernel, tasks }, tasks.map((t) => t.input.buffer));
      };
      /** Takes in one of `child`'s answers. */
      const take = (/** @type {Child} */ child, /** @type {number} */ worker, /** @type {any} */ data) => {
        if (data.type === 'started') {
          run.taskStarted(data.task, data.at);
        } else if (data.type === 'finished') {
          if (busy.get(child) === 1) busy.delete(child);
          else busy.set(child, (busy.get(child) ?? 1) - 1);
          run.taskFinished(data.task, data.start, data.end, data.status, data.output);
        } else if (data.type === 'crashed') {
          // Its task fails with the message, its other tasks end without results, and the
          // run stops handing out tasks, as for any failed task; the process is replaced.
          child.broken = true;
          busy.delete(child);
          run.workerLost(worker, data.panicked, data.message);
        }
      };
      let started = false;
      // A process that dies (terminated, out of memory) takes its tasks with it: the run
      // ends as crashed, keeping what the other tasks did. Before the run has begun, it
      // cannot begin.
      children.forEach((child, worker) => {
        child.fail = (error) => {
          if (!started) return end(error);
          if (busy.delete(child)) run.workerLost(worker, false, error.message);
          onProgress();
          if (busy.size === 0 && run.over) end();
        };
      });
      const start = () => children.forEach((child, worker) => {
        // One that died while the others started is given nothing.
        if (child.broken) return;
        child.listen = (data) => {
          try {
            for (const answer of data.messages) {
              if (!child.broken) take(child, worker, answer);
            }
            if (!child.broken) handOut(child, worker);
            onProgress();
            if (busy.size === 0 && run.over) end();
          } catch (error) {
            end(error);
          }
        };
        handOut(child, worker);
      });
      this.#drives.set(run, () => {
        for (const child of busy.keys()) child.worker.postMessage({ type: 'cancel', key });
      });
      // Processes that had to start first (Python's Pool() starts them before map) are
      // not counted in the run's time.
      Promise.all(children.map((c) => c.ready)).then(() => {
        if (ended) return;
        run.startClock();
        started = true;
        start();
        if (busy.size === 0) end(run.over ? undefined : new Error('its worker processes stopped before the run began'));
      }, end);
    });
  }

  /** Cancels a run being driven: its processes stop their tasks and answer with what they did. */
  /** @param {any} run a MapRun being driven */
  cancel(run) {
    run.cancel();
    this.#drives.get(run)?.();
  }

  /** Cancels what lesson `key` is doing here: its sleeps, processes and runs. @param {number} key */
  cancelLesson(key) {
    for (const cancel of [...this.#lessonCancels(key)]) cancel();
  }

  /** Lesson `key` has ended: nothing of it is left to cancel. @param {number} key */
  endLesson(key) {
    this.#lessons.delete(key);
  }

  /** `count` idle processes, starting new ones when too few are idle. */
  /** @param {number} count */
  #take(count) {
    // An idle process may have died meanwhile: it is never handed work.
    this.#idle = this.#idle.filter((child) => !child.broken);
    const children = this.#idle.splice(0, count);
    while (children.length < count) children.push(new Child(this.#module, this.#started++));
    return children;
  }

  /** A lesson's `Process(target=...)`: a new worker process, as Python starts a new interpreter. */
  /**
   * @param {string} name @param {number} arg @param {number} timeScale
   * @param {(text: string, at: number) => void} onPrint @param {number} lesson
   * @returns {Promise<string>}
   */
  #startProcess(name, arg, timeScale, onPrint, lesson) {
    const key = this.#nextKey++;
    const child = new Child(this.#module, this.#started++);
    const cancels = this.#lessonCancels(lesson);
    return new Promise((resolve, reject) => {
      const cancel = () => child.worker.postMessage({ type: 'cancel', key });
      cancels.add(cancel);
      const exit = (/** @type {() => void} */ settle) => {
        cancels.delete(cancel);
        child.terminate();
        settle();
      };
      child.listen = (data) => {
        if (data.type === 'print') onPrint(data.text, data.at);
        else if (data.type === 'exit') exit(() => (data.error ? reject(new Error(data.error)) : resolve(data.status)));
      };
      child.fail = (error) => exit(() => reject(error));
      child.worker.postMessage({ type: 'process', key, name, arg, timeScale });
    });
  }
}
