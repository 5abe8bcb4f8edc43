// The player's keyboard shortcuts: which key does what, speed steps at the ends, and that every listed shortcut is one
// the handler knows (the help popover reads the same table).
import { describe, expect, it, vi } from 'vitest';
import { SPEEDS } from './model.ts';
import { runShortcut, SHORTCUTS, shortcutOf, stepSpeed } from './shortcuts.ts';

describe('player shortcuts', () => {
  it('maps space, arrows, +/- and m; modified keys are left to the browser', () => {
    expect(shortcutOf({ key: ' ' })).toBe('toggle');
    expect(shortcutOf({ key: 'ArrowLeft' })).toBe('back5');
    expect(shortcutOf({ key: 'ArrowRight' })).toBe('forward5');
    expect(shortcutOf({ key: '+' })).toBe('faster');
    expect(shortcutOf({ key: '=' })).toBe('faster');
    expect(shortcutOf({ key: '-' })).toBe('slower');
    expect(shortcutOf({ key: 'm' })).toBe('mute');
    expect(shortcutOf({ key: 'M' })).toBe('mute');
    expect(shortcutOf({ key: 'ArrowLeft', altKey: true })).toBeNull();
    expect(shortcutOf({ key: 'm', ctrlKey: true })).toBeNull();
    expect(shortcutOf({ key: 'x' })).toBeNull();
  });

  it('steps through the offered speeds and stops at the ends', () => {
    expect(stepSpeed(1, 1)).toBe(1.1);
    expect(stepSpeed(1, -1)).toBe(0.9);
    expect(stepSpeed(SPEEDS[SPEEDS.length - 1]!, 1)).toBe(SPEEDS[SPEEDS.length - 1]);
    expect(stepSpeed(SPEEDS[0]!, -1)).toBe(SPEEDS[0]);
    // Not an offered speed: the nearest in that direction.
    expect(stepSpeed(1.05, 1)).toBe(1.1);
    expect(stepSpeed(1.05, -1)).toBe(1);
  });

  it('runs each listed shortcut against the player', () => {
    const p = { toggle: vi.fn(), skip: vi.fn(), speed: 1, setSpeed: vi.fn(), toggleMute: vi.fn() };
    for (const s of SHORTCUTS) runShortcut(s.action, p);
    expect(p.toggle).toHaveBeenCalledTimes(1);
    expect(p.skip.mock.calls).toEqual([[-5000], [5000]]);
    expect(p.setSpeed.mock.calls).toEqual([[1.1], [0.9]]);
    expect(p.toggleMute).toHaveBeenCalledTimes(1);
    // Every key shown in the help is one the handler knows.
    const shown: Record<string, string> = { Space: ' ', '←': 'ArrowLeft', '→': 'ArrowRight', '−': '-', M: 'm' };
    for (const s of SHORTCUTS) for (const k of s.keys) expect(shortcutOf({ key: shown[k] ?? k })).toBe(s.action);
  });
});
