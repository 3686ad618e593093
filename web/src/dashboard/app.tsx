import { Route, Switch } from 'wouter';
import { SignInPage } from './pages/auth/sign-in-page.js';
import { SignUpPage } from './pages/auth/sign-up-page.js';
import { InvitePage } from './pages/auth/invite-page.js';
import { ResetPasswordPage } from './pages/auth/reset-password-page.js';
import { VerifyEmailPage } from './pages/auth/verify-email-page.js';
import { AdminPage } from './pages/admin/admin-page.js';
import { AddCreditsPage } from './pages/billing/add-credits-page.js';
import { BillingPage } from './pages/billing/billing-page.js';
import { CheckoutResultPage } from './pages/billing/checkout-result-page.js';
import { KeysPage } from './pages/keys/keys-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OverviewPage } from './pages/overview/overview-page.js';
import { PlaygroundPage } from './pages/playground/playground-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';
import { TasksPage } from './pages/tasks/tasks-page.js';
import { UsagePage } from './pages/usage/usage-page.js';
import { Shell } from './shell/shell.js';

/** Paths are relative to /dashboard (the router's base). */
export function App() {
  return (
    <Switch>
      <Route path="/sign-in" component={SignInPage} />
      <Route path="/sign-up" component={SignUpPage} />
      <Route path="/invite" component={InvitePage} />
      <Route path="/reset-password" component={ResetPasswordPage} />
      <Route path="/verify-email" component={VerifyEmailPage} />
      <Route>
        <Shell>
          <Switch>
            <Route path="/" component={OverviewPage} />
            <Route path="/keys" component={KeysPage} />
            <Route path="/usage" component={UsagePage} />
            <Route path="/tasks" component={TasksPage} />
            <Route path="/tasks/:id" component={TasksPage} />
            <Route path="/playground" component={PlaygroundPage} />
            <Route path="/credits" component={AddCreditsPage} />
            <Route path="/billing" component={BillingPage} />
            <Route path="/billing/result" component={CheckoutResultPage} />
            <Route path="/settings" component={SettingsPage} />
            <Route path="/admin" component={AdminPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Shell>
      </Route>
    </Switch>
  );
}
