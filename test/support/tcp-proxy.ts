import net from 'node:net';
import { TEST_DATABASE_URL } from './test-database.js';

/**
 * A TCP proxy a test can cut and restore, standing in for "PostgreSQL stopped / started again" without touching
 * the machine's server that other test files share.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = this.port): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Refuses new connections and kills the open ones, as a stopped server would. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

/** A started proxy in front of the test PostgreSQL, and the database URL that goes through it. */
export async function postgresBehindProxy(): Promise<{ proxy: TcpProxy; databaseUrl: string }> {
  const direct = new URL(TEST_DATABASE_URL);
  const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
  const viaProxy = new URL(direct);
  viaProxy.port = String(await proxy.start());
  return { proxy, databaseUrl: viaProxy.toString() };
}
