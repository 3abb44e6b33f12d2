import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryPassword } from '../../src/domain/passwords.js';
import { Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Issue 23: a temporary password is read out or typed by hand. Characters that look alike (O/0, l/1/I) led to
// failed first sign-ins — each one counted by the sign-in throttle — and to passwords sent again by insecure means.
describe('temporary passwords', () => {
  it('uses no ambiguous characters and is long enough', () => {
    for (let i = 0; i < 500; i++) {
      const p = temporaryPassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{14}$/);
      expect(p).not.toMatch(/[O0oIl1]/);
    }
  });

  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is shown in the readable monospace block with a copy button', async () => {
    const admin = new Browser(t.app);
    await admin.login('root@example.com');
    await admin.get('/admin/users');
    const r = await admin.post('/admin/users', { email: 'new@example.com', displayName: 'New' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(
      /<p class="copyable temporary-password"><code class="token">[A-HJ-NP-Za-km-np-z2-9]{14}<\/code>\s*<button type="button" class="secondary" data-copy data-copied="Copied">Copy<\/button><\/p>/,
    );
  });
});
