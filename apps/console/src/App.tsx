import { useMemo, useState } from 'react';
import { DICTIONARIES, I18nContext, type Locale, type MessageKey } from './i18n';
import { Calendars } from './pages/Calendars';
import { Inbox } from './pages/Inbox';
import { PaymentRuns } from './pages/PaymentRuns';
import { Queues } from './pages/Queues';
import { SignIn } from './pages/SignIn';
import { SlaBoard } from './pages/SlaBoard';
import { StuckCases } from './pages/StuckCases';
import { Supervision } from './pages/Supervision';
import { TaskView } from './pages/TaskView';
import { href, type Route, useRoute } from './route';
import type { Session } from './session';

type MenuPage = Exclude<Route['page'], 'task'>;
const REVIEWER_PAGES: MenuPage[] = ['inbox'];
const OPERATOR_PAGES: MenuPage[] = ['sla', 'stuck', 'queues', 'calendars', 'payments'];
const SUPERVISOR_PAGES: MenuPage[] = ['supervision'];
/** Finance staff see the payment runs only (docs/money.md). */
const FINANCE_PAGES: MenuPage[] = ['payments'];

function pagesOf(session: Session): MenuPage[] {
  const reviewer = session.roles.includes('reviewer') || session.roles.includes('supervisor');
  const operator = session.roles.includes('operator');
  const supervisor = session.roles.includes('supervisor');
  const finance = session.roles.includes('finance') && !operator;
  return [
    ...(reviewer ? REVIEWER_PAGES : []),
    ...(supervisor ? SUPERVISOR_PAGES : []),
    ...(operator ? OPERATOR_PAGES : []),
    ...(finance ? FINANCE_PAGES : []),
  ];
}

export function App() {
  const [locale, setLocale] = useState<Locale>('zh-CN');
  const [session, setSession] = useState<Session | null>(null);
  const route = useRoute();
  const i18n = useMemo(() => ({ locale, t: (key: MessageKey) => DICTIONARIES[locale][key] }), [locale]);
  const { t } = i18n;
  const pages = session ? pagesOf(session) : [];
  const current: Route | null =
    route && (route.page === 'task' || pages.includes(route.page as MenuPage)) ? route : null;
  const shown: Route | null = current ?? (pages[0] ? ({ page: pages[0] } as Route) : null);

  return (
    <I18nContext.Provider value={i18n}>
      <div lang={locale}>
        <header className="bar">
          <h1>{t('appTitle')}</h1>
          {session && (
            <nav aria-label="main">
              {pages.map((page) => (
                <a key={page} href={href({ page } as Route)} aria-current={shown?.page === page ? 'page' : undefined}>
                  {t(page)}
                </a>
              ))}
            </nav>
          )}
          <span className="who">{session?.name}</span>
          <button type="button" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
            {t('language')}
          </button>
          {session && (
            <button type="button" onClick={() => setSession(null)}>
              {t('signOut')}
            </button>
          )}
        </header>
        <main>
          {!session ? (
            <SignIn onSignedIn={setSession} />
          ) : shown?.page === 'task' ? (
            <TaskView session={session} taskId={shown.id} />
          ) : shown?.page === 'inbox' ? (
            <Inbox session={session} />
          ) : shown?.page === 'sla' ? (
            <SlaBoard session={session} />
          ) : shown?.page === 'stuck' ? (
            <StuckCases session={session} />
          ) : shown?.page === 'queues' ? (
            <Queues session={session} />
          ) : shown?.page === 'supervision' ? (
            <Supervision session={session} />
          ) : shown?.page === 'calendars' ? (
            <Calendars session={session} />
          ) : shown?.page === 'payments' ? (
            <PaymentRuns session={session} />
          ) : null}
        </main>
      </div>
    </I18nContext.Provider>
  );
}
