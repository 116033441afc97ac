// What the processes build's WebAssembly imports as `webpoolHost` (src/wasm/host.rs): the
// engine's side is processes.js's host(), a worker process's side is in process.js.
declare var webpoolHost: {
  sleep(ms: number, key?: number): Promise<boolean>;
  drive?(run: any, key: number): Promise<void>;
  startProcess?(name: string, arg: number, timeScale: number, onPrint: (text: string, at: number) => void, key: number): Promise<string>;
  print?(text: string, at: number): void;
};
