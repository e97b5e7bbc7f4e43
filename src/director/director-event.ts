import type { RealServer } from './real-server.ts';
import type { VirtualService } from './virtual-service.ts';

/** Everything that changes the director's tables, past tense. Engines and the admin API subscribe. */
export type DirectorEvent =
  | { type: 'service-added'; service: VirtualService }
  | { type: 'service-changed'; service: VirtualService }
  | { type: 'service-removed'; service: VirtualService }
  | { type: 'real-added'; service: VirtualService; real: RealServer }
  | { type: 'real-changed'; service: VirtualService; real: RealServer }
  | { type: 'real-removed'; service: VirtualService; real: RealServer };

export type DirectorListener = (e: DirectorEvent) => void;
