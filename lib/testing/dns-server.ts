import dns2 from 'dns2';

const { Packet } = dns2;

/** TXT records by domain name (lower case, no trailing dot). */
export type TxtRecords = Record<string, readonly string[]>;

export type TxtServer = { address: string; port: number; close(): Promise<void> };

/**
 * A real DNS server on loopback (UDP, dns2) answering TXT queries from `records()`, read at each query so a test
 * can add a record after the server started; any other name is NXDOMAIN. Domain verification reaches it through
 * DNS_RESOLVER, as it would reach a production resolver.
 */
export async function startTxtServer(records: () => TxtRecords, port = 0, host = '127.0.0.1'): Promise<TxtServer> {
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question?.name.toLowerCase().replace(/\.$/, '') ?? '';
      const values = records()[name];
      if (!question || !values) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
      } else if (question.type === Packet.TYPE.TXT) {
        // dns2 encodes plain record objects (its README's own examples); its type also lists an encoder method.
        for (const data of values) response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data } as dns2.Packet.Resource);
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port, address: host } });
  const bound = addresses.udp?.port ?? port;
  return { address: `${host}:${bound}`, port: bound, close: () => server.close() };
}
