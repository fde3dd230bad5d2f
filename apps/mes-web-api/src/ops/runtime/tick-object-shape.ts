import { createHook } from 'node:async_hooks';

let kept: object | undefined;

/**
 * Keeps one `process.nextTick` queue entry (async_hooks resource type `TickObject`) alive for
 * the life of the process, so V8 keeps the object shapes ("maps") that every such entry is built
 * with.
 *
 * Why: node builds each entry as `{ [async_id_symbol]: …, [trigger_async_id_symbol]: …,
 * callback, args }`. Past the first property, each property step leads to a shape that V8
 * holds only weakly; a full garbage collection at a moment when no entry is alive (start-up has
 * many) frees those shapes, and the next entry gets new ones. After four such rebuilds the
 * inline caches of that literal in `nextTick` see too many shapes and turn megamorphic, and from
 * then on every entry is built through V8's runtime (`DefineKeyedOwnPropertyInLiteral`, map
 * migrations). A request makes several `nextTick` calls in node's HTTP server and streams; in a
 * process in that state health answered about 20 % slower (README, Performance). An entry that
 * stays alive keeps the shapes alive, and the caches stay monomorphic.
 *
 * Call it once, early (before the application starts). The hook exists only while the one entry
 * is made.
 */
export function keepTickObjectShape(): void {
  if (kept !== undefined) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && kept === undefined) kept = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(noop);
  } finally {
    hook.disable();
  }
}

/** The entry kept by {@link keepTickObjectShape} (for tests). */
export function keptTickObject(): object | undefined {
  return kept;
}

function noop(): void {}
