import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Compares `text` with the golden file; `UPDATE_GOLDEN=1` writes it instead (then review the
 * diff). A missing golden file fails: goldens are committed, never created silently.
 */
export function expectGolden(file: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`No golden file ${file}: run the spec with UPDATE_GOLDEN=1 and review it.`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}
