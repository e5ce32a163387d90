// shared/ compiles with neither Node's types nor the DOM's, because it runs in the trainer and the
// extension host (Node) and in the webview (a browser). These are the few host functions it may
// still use: both platforms implement them the same way (HTML's timers, High Resolution Time's
// performance.now()), although ECMAScript does not define them. Anything else of either platform
// stays a compile error here. Only shared/'s own program sees these declarations.

declare function setTimeout(run: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const performance: { now(): number };
