// The in-process side of recording control: when the API and the recorder run in one process (the default), a control
// request reaches the media pool at once through this emitter; otherwise the recorder process finds the request in
// recorder_control_requests on its next poll (src/recorder/control/applier.ts). Either way the row is the truth.
import { EventEmitter } from 'node:events';

export interface ControlSignal {
  requestId: string;
  callId: string;
}

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function emitControl(signal: ControlSignal): void {
  bus.emit('control', signal);
}

export function onControl(listener: (signal: ControlSignal) => void): () => void {
  bus.on('control', listener);
  return () => bus.off('control', listener);
}
