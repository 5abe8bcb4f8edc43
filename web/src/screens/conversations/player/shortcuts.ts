// The player's keyboard shortcuts: one table that both the key handler and the help popover read, so the list shown
// is the list that works.
import { SPEEDS } from './model.ts';

export type ShortcutAction = 'toggle' | 'back5' | 'forward5' | 'faster' | 'slower' | 'mute';

/** What the help popover lists, in order: the keys shown and what they do. */
export const SHORTCUTS: { keys: string[]; action: ShortcutAction }[] = [
  { keys: ['Space'], action: 'toggle' },
  { keys: ['←'], action: 'back5' },
  { keys: ['→'], action: 'forward5' },
  { keys: ['+'], action: 'faster' },
  { keys: ['−'], action: 'slower' },
  { keys: ['M'], action: 'mute' },
];

/** The action of a key press, or null (modified keys keep their browser meaning). */
export function shortcutOf(e: { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean }): ShortcutAction | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return 'toggle';
    case 'ArrowLeft':
      return 'back5';
    case 'ArrowRight':
      return 'forward5';
    case '+':
    case '=': // the same key without Shift on most layouts
    case 'Add':
      return 'faster';
    case '-':
    case '_':
    case 'Subtract':
      return 'slower';
    case 'm':
    case 'M':
      return 'mute';
    default:
      return null;
  }
}

/** The next offered speed up (+1) or down (−1), staying at the ends. */
export function stepSpeed(speed: number, direction: 1 | -1): number {
  const i = SPEEDS.findIndex((s) => s === speed);
  if (i >= 0) return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + direction))]!;
  // A speed not offered: the nearest offered one in that direction.
  return direction > 0 ? (SPEEDS.find((s) => s > speed) ?? SPEEDS[SPEEDS.length - 1]!) : ([...SPEEDS].reverse().find((s) => s < speed) ?? SPEEDS[0]!);
}

/** Keys that keep their own meaning where the focus is (typing, sliders, menus, selects). */
export const OWN_KEYS = 'input, textarea, select, [role="slider"], [role="menuitem"], [role="option"], [contenteditable="true"]';

export interface ShortcutTarget {
  toggle: () => void;
  skip: (deltaMs: number) => void;
  speed: number;
  setSpeed: (speed: number) => void;
  toggleMute: () => void;
}

/** Runs a shortcut; true when the key was the player's (the caller then prevents its default). */
export function runShortcut(action: ShortcutAction, p: ShortcutTarget): boolean {
  if (action === 'toggle') p.toggle();
  else if (action === 'back5') p.skip(-5000);
  else if (action === 'forward5') p.skip(5000);
  else if (action === 'faster') p.setSpeed(stepSpeed(p.speed, 1));
  else if (action === 'slower') p.setSpeed(stepSpeed(p.speed, -1));
  else p.toggleMute();
  return true;
}
