/**
 * What one ipvsadm command line means, independent of how it is carried out (admin API) or printed.
 * Times are seconds and netmasks prefix lengths, as ipvsadm's own units.
 */
export type VsProtocol = 'tcp' | 'udp';

/** A virtual service as `-t|-u ADDRESS[:PORT]` names it; port 0 = no port given (persistent: any port). */
export interface ServiceRef {
  readonly protocol: VsProtocol;
  readonly address: string;
  readonly port: number;
}

export interface ServerRef {
  readonly address: string;
  readonly port: number;
}

/** `-g` route (direct routing), `-i` tunnel (IPIP), `-m` masq (NAT). */
export type ForwardFlag = 'route' | 'tunnel' | 'masq';

export interface ServiceSettings {
  readonly scheduler: string;
  /** `-b`, scheduler flags as ipvsadm names them (sh-fallback, sh-port, mh-fallback, mh-port, flag-N). */
  readonly flags: readonly string[];
  /** `-p [timeout]`, `-M netmask`; undefined = not persistent. */
  readonly persistence: { readonly timeoutS: number; readonly prefix: number } | undefined;
  /** `-o`: one-packet scheduling (UDP only). */
  readonly onePacket: boolean;
}

export interface ServerSettings {
  /** undefined = no -g/-i/-m given: ipvsadm's default is -g; the caller resolves it per engine. */
  readonly forward: ForwardFlag | undefined;
  readonly weight: number;
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
}

/** Output switches of -L/-l (and -S -n). */
export interface ListFormat {
  readonly numeric: boolean;
  readonly stats: boolean;
  readonly rate: boolean;
  readonly thresholds: boolean;
  readonly persistentConn: boolean;
  readonly tunInfo: boolean;
  readonly nosort: boolean;
  readonly exact: boolean;
}

export type ListView = 'services' | 'connections' | 'timeout' | 'daemon';

export type Command =
  | {
      readonly kind: 'add-service' | 'edit-service';
      readonly service: ServiceRef;
      readonly settings: ServiceSettings;
    }
  | { readonly kind: 'delete-service'; readonly service: ServiceRef }
  | { readonly kind: 'clear' }
  | {
      readonly kind: 'add-server' | 'edit-server';
      readonly service: ServiceRef;
      readonly server: ServerRef;
      readonly settings: ServerSettings;
    }
  | { readonly kind: 'delete-server'; readonly service: ServiceRef; readonly server: ServerRef }
  | {
      readonly kind: 'list';
      readonly view: ListView;
      readonly service: ServiceRef | undefined;
      readonly format: ListFormat;
      /** True for `ipvsadm` with no arguments (same output as -L). */
      readonly implicit: boolean;
    }
  | { readonly kind: 'zero'; readonly service: ServiceRef | undefined }
  | { readonly kind: 'save'; readonly numeric: boolean }
  | { readonly kind: 'restore' }
  | { readonly kind: 'set-timeouts'; readonly tcpS: number; readonly tcpFinS: number; readonly udpS: number }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

/** ipvsadm's outcome for a line it refuses: text for stderr (newline included) and the exit status. */
export interface Refusal {
  readonly stderr: string;
  readonly exit: number;
}

export type Parsed = { readonly ok: true; readonly command: Command } | ({ readonly ok: false } & Refusal);
