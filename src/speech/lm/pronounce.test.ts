import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CMU_PHONES, espeakPronunciations, espeakToCmu, formatDict, letterToSound, loadCmudict, pronounce } from './pronounce.ts';

const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const hasEspeak = ['/usr/bin/espeak-ng', '/usr/local/bin/espeak-ng'].some((p) => existsSync(p));

describe('espeak-ng phonemes → CMU phones', () => {
  it('maps diphthongs, r-coloured vowels and consonant clusters', () => {
    expect(espeakToCmu("b_r_'aI_t_l_aI_n")).toBe('B R AY T L AY N');
    expect(espeakToCmu("n_'O@_T_g_eI_t")).toBe('N AO R TH G EY T');
    expect(espeakToCmu("k_l_'i@3_v_j_u:")).toBe('K L IH R V Y UW');
    expect(espeakToCmu("tS_'3:tS")).toBe('CH ER CH');
  });

  it('returns null for something it cannot map rather than a wrong phone', () => {
    expect(espeakToCmu('q_X_Q')).toBeNull();
  });
});

describe('letter-to-sound fallback', () => {
  it('always gives CMU phones', () => {
    for (const w of ['zorblax', 'quickphone', 'stone', 'hill', 'x']) {
      const p = letterToSound(w).split(' ');
      expect(p.length).toBeGreaterThan(0);
      for (const ph of p) expect(CMU_PHONES.has(ph)).toBe(true);
    }
    expect(letterToSound('stone')).toBe('S T AA N');
  });
});

describe.runIf(existsSync(CMUDICT))('pronounce', () => {
  it('uses CMUdict variants where it has the word and derives the rest', async () => {
    const cmu = await loadCmudict(CMUDICT);
    const { lexicon, derived } = await pronounce(['record', 'brightline', 'zqxj'], cmu);
    expect(lexicon.get('record')!.length).toBeGreaterThan(1);
    expect(derived.has('record')).toBe(false);
    expect(derived.get('brightline')).toBe(hasEspeak ? 'espeak' : 'rules');
    expect(lexicon.get('zqxj')![0]!.length).toBeGreaterThan(0);
    const dict = formatDict(lexicon);
    expect(dict).toMatch(/^record R/m);
    expect(dict).toMatch(/^record\(2\) /m);
  });

  it.runIf(hasEspeak)('asks espeak-ng once for many words and pairs the answers in order', async () => {
    const m = await espeakPronunciations(['homestyle', 'clearview', 'northgate']);
    expect(m.get('homestyle')).toBe('HH OW M S T AY L');
    expect(m.get('clearview')).toBe('K L IH R V Y UW');
    expect(m.size).toBe(3);
  });

  it('falls back to rules when espeak-ng is not there', async () => {
    const cmu = await loadCmudict(CMUDICT);
    const { derived } = await pronounce(['brightline'], cmu, '/nonexistent/espeak-ng');
    expect(derived.get('brightline')).toBe('rules');
  });
});
