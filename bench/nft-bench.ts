// The nft engine's figures (issue #5): `tsx bench/nft-bench.ts [--seconds 5] [--control-only]` as root.
// The same run as `npm run bench -- --only nft --rounds 1` (HTTP keep-alive and connection per request
// over direct, HAProxy, the proxy engine, nft NAT and DR side by side, then the control plane); any other
// `npm run bench` option passes through. `--control-only` measures only the control plane.
import { nftBenchArgv } from './args.ts';
import { runMain } from './main.ts';

const argv = nftBenchArgv(process.argv.slice(2));
runMain(argv, `npx tsx bench/nft-bench.ts ${process.argv.slice(2).join(' ')}`.trim());
