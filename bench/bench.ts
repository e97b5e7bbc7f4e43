// npm run bench: every engine side by side with HAProxy and the direct path, and the nft control plane
// (bench/main.ts; docs/BENCHMARKS.md says what is measured and how to read it).
import { runMain } from './main.ts';

runMain(process.argv.slice(2));
