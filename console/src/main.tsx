import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { whenSignedOut } from './api.ts';
import { BASE, linkClick, useCurrentPath } from './router.ts';
import { findScreen, SECTIONS } from './screens.tsx';
import { keepToken, storedToken, takeTokenFromAddress } from './token.ts';
import { ScreenHeading, TextField } from './ui.tsx';

// Before anything else: the token must not stay in the address bar (or reach history, bookmarks, logs).
takeTokenFromAddress();

function SignIn({ refused, onSignedIn }: { refused: boolean; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  return (
    <section>
      <ScreenHeading>Sign in</ScreenHeading>
      {refused ? (
        <div class="alert" role="alert">
          <p>The admin token was not accepted. Open the console address printed at start again.</p>
        </div>
      ) : null}
      <p>
        Open the address that <code>npm start</code> (or <code>npm run console</code>) prints: it signs this
        page in. Or paste the admin token here.
      </p>
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!token.trim()) return;
          keepToken(token);
          onSignedIn();
        }}
      >
        <TextField
          id="admin-token"
          label="Admin token"
          type="password"
          autoComplete="off"
          value={token}
          onValue={setToken}
        />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </section>
  );
}

function App() {
  const path = useCurrentPath();
  const [signedIn, setSignedIn] = useState(storedToken() !== null);
  const [refused, setRefused] = useState(false);
  useEffect(() => whenSignedOut(() => (setSignedIn(false), setRefused(true))), []);
  const found = signedIn ? findScreen(path) : undefined;
  useEffect(() => {
    document.title = `${found?.section.label ?? 'Sign in'} · sms-mfa console`;
  }, [found?.section.label]);
  return (
    <>
      <header>
        <a class="brand" href={BASE} onClick={linkClick('')}>
          sms-mfa
        </a>
        {signedIn ? (
          <nav aria-label="Main">
            <ul>
              {SECTIONS.map((section) => (
                <li key={section.path}>
                  <a
                    href={`${BASE}${section.path}`}
                    aria-current={found?.section === section ? 'page' : undefined}
                    onClick={linkClick(section.path)}
                  >
                    {section.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main key={signedIn ? path : 'sign-in'}>
        {!signedIn ? (
          <SignIn refused={refused} onSignedIn={() => (setSignedIn(true), setRefused(false))} />
        ) : found ? (
          found.node
        ) : (
          <section>
            <ScreenHeading>Not found</ScreenHeading>
            <p>
              There is no such screen.{' '}
              <a href={BASE} onClick={linkClick('')}>
                Go to the SMS gateways.
              </a>
            </p>
          </section>
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
