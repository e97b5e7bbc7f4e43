import { main } from '../cli/main.ts';
import { processIo } from '../cli/io.ts';
import { textLogger } from '../platform/log.ts';

/** The `webfarm` executable: dispatch, then exit with the command's code once output is flushed. */
const code = await main(process.argv.slice(2), processIo, textLogger());
process.exitCode = code;
// Lingering unref'd handles must not keep a finished command alive.
setImmediate(() => process.exit(code));
