import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Translator } from '../../lib/i18n.ts';

export function accountRoutes(s: Pick<Services, 'users'>, _translator: Translator): Router {
  const r = Router();

  r.post('/lang', async (req, res) => {
    const lang = (req.body as Record<string, unknown>).lang === 'en' ? 'en' : 'vi';
    res.cookie('lang', lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600_000 });
    if (req.user) await s.users.setLocale(actorOf(req), lang);
    const back = (req.body as Record<string, unknown>).back;
    res.redirect(typeof back === 'string' && /^\/(?![/\\])/.test(back) ? back : '/');
  });

  r.use('/account', requireUser);
  const page = async (req: Request) => {
    const actor = actorOf(req);
    return { profile: await s.users.get(actor, actor.user.id), tokens: await s.users.listTokens(actor) };
  };

  r.get('/account', async (req, res) => {
    const p = await page(req);
    res.render('account/account', {
      ...p,
      values: { fullName: p.profile.fullName, email: p.profile.email, locale: p.profile.locale, emailNotifications: p.profile.emailNotifications },
    });
  });

  r.post('/account/preferences', async (req, res) => {
    await handleForm(
      req,
      res,
      'account/account',
      () => page(req),
      async () => {
        await s.users.updatePreferences(actorOf(req), req.body);
        const lang = (req.body as Record<string, unknown>).locale === 'en' ? 'en' : 'vi';
        res.cookie('lang', lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600_000 });
        res.redirect(withNotice('/account', 'saved'));
      },
    );
  });

  r.post('/account/password', async (req, res) => {
    await handleForm(
      req,
      res,
      'account/account',
      async () => ({ ...(await page(req)), passwordForm: true }),
      async () => {
        await s.users.changeOwnPassword(actorOf(req), req.body, { sessionId: req.sessionID });
        res.redirect(withNotice('/account', 'password_changed'));
      },
    );
  });

  r.post('/account/tokens', async (req, res) => {
    await handleForm(
      req,
      res,
      'account/account',
      async () => ({ ...(await page(req)), tokenForm: true }),
      async () => {
        const created = await s.users.createToken(actorOf(req), req.body);
        // The token is shown this once; only its hash is kept.
        res.status(201).render('account/account', { ...(await page(req)), newToken: created.token });
      },
    );
  });

  r.post('/account/tokens/:id/revoke', async (req, res) => {
    await s.users.revokeToken(actorOf(req), parseId(req.params.id));
    res.redirect(withNotice('/account', 'token_revoked'));
  });
  return r;
}
