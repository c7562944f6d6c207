import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy a test can cut and restore: the database "goes away" without touching the real server.
 * Besides cutting (connections drop, new ones are refused, as when the server is down), the link can
 * misbehave without saying so, which a client notices only by the time it waits.
 */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until restored. */
  cut(): void;
  /** Holds every byte in both directions (connections stay open, new ones are accepted) until restored. */
  stall(): void;
  /** Silently discards every byte in both directions, for open and new connections, until restored. */
  drop(): void;
  /** Back to forwarding: held bytes flow on; bytes dropped meanwhile are lost for good. */
  restore(): void;
  close(): Promise<void>;
}

type Mode = "open" | "cut" | "stalled" | "dropping";

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: Mode = "open";
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  // Forwarded by hand rather than piped, so that "dropping" can swallow bytes; a paused socket holds them.
  const relay = (from: Socket, to: Socket) => {
    from.on("data", (chunk) => {
      if (mode === "open") to.write(chunk);
    });
    from.on("end", () => to.end());
    if (mode === "stalled") from.pause();
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === "cut") return void client.destroy();
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    relay(client, upstream);
    relay(upstream, client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      mode = "cut";
      for (const s of sockets) s.destroy();
    },
    stall() {
      mode = "stalled";
      for (const s of sockets) s.pause();
    },
    drop() {
      mode = "dropping";
      for (const s of sockets) s.resume();
    },
    restore() {
      mode = "open";
      for (const s of sockets) s.resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
