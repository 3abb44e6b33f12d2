import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Python's own e-mail parser reads what arrived (MIME encoded words, quoted-printable, base64): no reader of ours. */
const parse = (raw: Buffer): Received =>
  JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import sys,json,email\nfrom email import policy\nm=email.message_from_bytes(sys.stdin.buffer.read(),policy=policy.default)\n' +
          "print(json.dumps({'from':str(m['from']),'to':str(m['to']),'subject':str(m['subject']),'text':m.get_body(('plain',)).get_content()}))",
      ],
      { input: raw },
    ).toString(),
  ) as Received;

/** A real SMTP server on a free loopback port; every message it accepts lands in `inbox`, parsed. */
export async function startSmtp(): Promise<{ url: string; inbox: Received[]; close(): Promise<void> }> {
  const inbox: Received[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push(parse(Buffer.concat(chunks)));
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, inbox, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}
