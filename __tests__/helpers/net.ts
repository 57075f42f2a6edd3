import net from 'node:net'

/**
 * Raw TCP servers on 127.0.0.1 that play a broken or watched host:
 * - `refuse`: accepts and closes every connection at once, counting them (proof that a command
 *   sent nothing);
 * - `hang`: accepts and never answers;
 * - `headers-only`: answers the headers of a 200 and never finishes the body.
 */
export async function rawHost(behaviour: 'refuse' | 'hang' | 'headers-only') {
  const sockets = new Set<net.Socket>()
  let connections = 0
  const server = net.createServer((socket) => {
    connections++
    if (behaviour === 'refuse') {
      socket.destroy()
      return
    }
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    if (behaviour === 'headers-only') {
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"space_id":'))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get connections() {
      return connections
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
