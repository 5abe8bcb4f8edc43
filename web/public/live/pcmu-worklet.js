/* global AudioWorkletProcessor, registerProcessor */
// Listen-in playback (issue 13): decodes the G.711 µ-law frames the page posts from the WebSocket and plays each leg
// from its own small buffer, the legs placed left/right as the player does (calling party left). Runs in the audio
// thread at the AudioContext's 8 kHz, so frames are never resampled. Latency stays under a second: a leg starts
// playing once 120 ms are buffered and drops what is older than 400 ms when the network delivers a burst.
const RING = 8000;
const START = 960;
const MAX = 3200;

function ulawTable() {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const sign = u & 0x80;
    const exponent = (u >> 4) & 0x07;
    const mantissa = u & 0x0f;
    let sample = ((mantissa << 3) + 0x84) << exponent;
    sample -= 0x84;
    t[i] = (sign ? -sample : sample) / 32768;
  }
  return t;
}

class PcmuPlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.table = ulawTable();
    this.legs = new Map();
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'pan') this.leg(m.leg).pan = m.pan;
      else if (m.type === 'mute') this.leg(m.leg).muted = m.muted;
      else if (m.type === 'frame') this.push(m.leg, new Uint8Array(m.pcmu));
    };
  }

  leg(i) {
    let l = this.legs.get(i);
    if (!l) {
      l = { buf: new Float32Array(RING), read: 0, write: 0, size: 0, playing: false, pan: 0, muted: false };
      this.legs.set(i, l);
    }
    return l;
  }

  push(i, pcmu) {
    const l = this.leg(i);
    for (let k = 0; k < pcmu.length; k++) {
      l.buf[l.write] = this.table[pcmu[k]];
      l.write = (l.write + 1) % RING;
      if (l.size < RING) l.size++;
      else l.read = (l.read + 1) % RING;
    }
    if (l.size > MAX) {
      const drop = l.size - START;
      l.read = (l.read + drop) % RING;
      l.size -= drop;
    }
    if (!l.playing && l.size >= START) l.playing = true;
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const left = out[0];
    const right = out[1] || out[0];
    left.fill(0);
    if (right !== left) right.fill(0);
    for (const l of this.legs.values()) {
      if (!l.playing) continue;
      // Equal-power-ish placement: pan -1 (left) … 1 (right); 0 = centre.
      const gl = l.muted ? 0 : Math.min(1, 1 - l.pan);
      const gr = l.muted ? 0 : Math.min(1, 1 + l.pan);
      for (let k = 0; k < left.length; k++) {
        if (l.size === 0) {
          l.playing = false;
          break;
        }
        const s = l.buf[l.read];
        l.read = (l.read + 1) % RING;
        l.size--;
        left[k] += s * gl;
        if (right !== left) right[k] += s * gr;
      }
    }
    return true;
  }
}

registerProcessor('pcmu-player', PcmuPlayer);
