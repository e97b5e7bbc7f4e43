// UDP echo backend: every datagram goes back to its sender unchanged. argv: PORT [HOST=0.0.0.0]; bind a
// DR VIP to answer from it.
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2]);
const sock = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
sock.bind(port, process.argv[3] ?? '0.0.0.0', () => process.stdout.write(`ready udp ${port}\n`));
process.on('SIGTERM', () => sock.close(() => process.exit(0)));
