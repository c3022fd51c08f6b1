import { useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { beginOidcSignIn, completeOidcSignIn, isOidcCallback } from '../oidc';
import { anonymousClient, openSession, problemText, type Session } from '../session';

type Identity = Schemas['DevIdentities']['items'][number];
type Mode = Schemas['ConsoleSignIn'];

/**
 * The sign-in the gateway offers (`GET /v1/console/sign-in`): the identity provider (OpenID Connect, production), the
 * sample identities (development), or none.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void anonymousClient()
      .GET('/v1/console/sign-in')
      .then(({ data, error: problem }) => (data ? setMode(data) : setError(problemText(problem))));
  }, []);

  useEffect(() => {
    if (mode?.mode !== 'oidc' || !isOidcCallback()) return;
    completeOidcSignIn(mode).then(onSignedIn, (failure: unknown) => setError(String(failure)));
  }, [mode, onSignedIn]);

  if (error) return <p role="alert">{error}</p>;
  if (!mode) return <p>{t('loading')}</p>;
  if (mode.mode === 'development') return <DevSignIn onSignedIn={onSignedIn} />;
  return (
    <section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('signInOidcTitle')}</h2>
      {mode.mode === 'oidc' ? (
        <button
          type="button"
          onClick={() => void beginOidcSignIn(mode).catch((failure: unknown) => setError(String(failure)))}
        >
          {t('signInOidc')}
        </button>
      ) : (
        <p>{t('signInNone')}</p>
      )}
    </section>
  );
}

/** Development only: the gateway lists sample staff identities and mints a token for the one picked. */
function DevSignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t, locale } = useI18n();
  const [identities, setIdentities] = useState<Identity[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void anonymousClient()
      .GET('/v1/dev/identities')
      .then(({ data, error: problem }) => (data ? setIdentities(data.items) : setError(problemText(problem))));
  }, []);

  const signIn = async (identity: Identity) => {
    const { data, error: problem } = await anonymousClient().POST('/v1/dev/sign-in', {
      body: { identity: identity.key as Schemas['DevSignInRequest']['identity'] },
    });
    if (!data) return setError(problemText(problem));
    onSignedIn(openSession(data.token, identity.name, identity.roles));
    window.location.hash = identity.roles.includes('operator') ? '#/sla' : '#/inbox';
    return undefined;
  };

  return (
    <section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('signInTitle')}</h2>
      <p>{t('signInHint')}</p>
      {error && <p role="alert">{error}</p>}
      {!identities && !error && <p>{t('loading')}</p>}
      <ul className="identities">
        {identities?.map((identity) => (
          <li key={identity.key}>
            <button type="button" onClick={() => void signIn(identity)} data-identity={identity.key}>
              {locale === 'en' ? identity.descriptionEn : identity.description}
            </button>
            <span className="muted">
              {identity.name} · {identity.roles.join(', ')} · {identity.divisions.join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
