/** @jsxImportSource hono/jsx */
/** The consumer's scan page: mobile-first HTML readable without JavaScript, vi (default) or en. */
import { formatPlace } from '../domain/place.ts';
import type { ScanAnswer } from '../domain/stamp-answer.ts';
import { formatDate, formatEventDate, formatInstant, STRINGS, type Language } from './strings.ts';

/** A message shown above the stamp's facts after a form post. */
export type Notice =
  | { kind: 'pin_first' }
  | { kind: 'pin_again'; confirmedAt: string; place: { country: string | null; region: string | null; city: string | null } | null }
  | { kind: 'pin_wrong'; attemptsLeft: number }
  | { kind: 'pin_locked' }
  | { kind: 'pin_no_pin' }
  | { kind: 'pin_format' }
  | { kind: 'report_invalid' }
  | { kind: 'report_ok' }
  | { kind: 'error'; message: string };

// A constant (never data), so it is written raw: escaping would break the CSS quotes.
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2a24;background:#f3f6f4}
main{max-width:34rem;margin:0 auto;padding:0 0 2rem}
.verdict{padding:1.5rem 1.25rem;color:#fff}
.verdict h1{margin:0 0 .35rem;font-size:1.6rem;line-height:1.2}
.verdict p{margin:0}
.genuine{background:#17703f}.not_activated{background:#9a6200}.suspect,.voided,.recalled,.unknown_serial,.invalid{background:#b3261e}
.scan{margin:0;padding:.9rem 1.25rem;background:#fff;border-bottom:1px solid #dfe7e2;font-weight:600}
section{background:#fff;margin:.75rem .75rem 0;padding:1rem 1.25rem;border-radius:.75rem;box-shadow:0 1px 2px #0001}
section h2{margin:0 0 .5rem;font-size:.85rem;text-transform:uppercase;letter-spacing:.04em;color:#5a6b62}
.name{font-size:1.25rem;font-weight:700;margin:0 0 .25rem}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem}dt{color:#5a6b62}dd{margin:0}
ul{margin:0;padding-left:1.1rem}img{max-width:100%;border-radius:.5rem}
.stars{color:#c98a00}.help{color:#5a6b62;font-size:.95rem}
.notice{margin:.75rem .75rem 0;padding:.9rem 1.1rem;border-radius:.75rem;font-weight:600}
.notice.good{background:#e3f4ea;color:#0f5430}.notice.bad{background:#fde8e6;color:#8c1d16}
.reasons li{margin:.2rem 0}
ol.journey{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid #b9dcc8}
ol.journey li{position:relative;margin:0 0 .8rem}ol.journey li::before{content:"";position:absolute;left:-1.45rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#17703f}
ol.journey li.input::before{background:#9fb8aa}ol.journey time{display:block;color:#5a6b62;font-size:.9rem}
ol.journey .stage{font-weight:700}ol.journey p{margin:0}
form{display:grid;gap:.5rem}label{font-weight:600;font-size:.95rem}
input,textarea{font:inherit;padding:.6rem .7rem;border:1px solid #b9c7bf;border-radius:.5rem;width:100%}
button{font:inherit;font-weight:700;padding:.7rem 1rem;border:0;border-radius:.5rem;background:#17703f;color:#fff}
details summary{cursor:pointer;font-weight:600;color:#17703f}
footer{margin:1.5rem 1.25rem 0;color:#5a6b62;font-size:.85rem;display:flex;justify-content:space-between;gap:1rem}
a{color:#17703f}`;

/** Renders the scan answer as a full HTML document. */
export function ScanPage({
  answer,
  lang,
  langSwitchHref,
  notice,
  formAction,
}: {
  answer: ScanAnswer;
  lang: Language;
  langSwitchHref: string;
  notice?: Notice;
  formAction?: (kind: 'pin' | 'report') => string;
}) {
  const t = STRINGS[lang];
  const noticeView = notice ? renderNotice(notice, lang) : null;
  const { verdict, scan, product, producer, batch, certificates, journey, journeyInputs } = answer;
  const showStory = verdict === 'genuine' || verdict === 'suspect' || verdict === 'recalled';
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${t.verdictTitle[verdict]} · ${t.siteName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main data-verdict={verdict} data-scan-count={scan ? String(scan.count) : '0'}>
          <header class={`verdict ${verdict}`}>
            <h1>{t.verdictTitle[verdict]}</h1>
            <p>{t.verdictText[verdict]}</p>
          </header>
          {scan && verdict !== 'invalid' && verdict !== 'unknown_serial' ? (
            <p class="scan" data-first-scan={String(scan.first)}>
              {scan.first
                ? t.firstScan
                : t.earlierScan(formatInstant(new Date(scan.firstScanAt), lang), formatPlace(scan.firstScanPlace), scan.count)}
            </p>
          ) : null}
          {noticeView ? (
            <p class={`notice ${noticeView.good ? 'good' : 'bad'}`} role="status" data-notice={notice!.kind}>
              {noticeView.text}
            </p>
          ) : null}
          {batch?.expired && batch.expiryDate && verdict !== 'invalid' && verdict !== 'unknown_serial' ? (
            <p class="notice bad" role="status" data-notice="expired">
              {t.expired(formatDate(batch.expiryDate))}
            </p>
          ) : null}
          {answer.reasons && answer.reasons.length > 0 ? (
            <section class="reasons" data-reasons={answer.reasons.join(' ')}>
              <h2>{t.reasonsTitle}</h2>
              <ul>
                {answer.reasons.map((r) => (
                  <li>{t.reasons[r] ?? r}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {formAction && answer.kind === 'anti_counterfeit' && verdict !== 'invalid' && verdict !== 'unknown_serial' ? (
            <section>
              <h2>{t.pinTitle}</h2>
              <p class="help">{t.pinHelp}</p>
              <form method="post" action={formAction('pin')}>
                <label for="pin">{t.pinLabel}</label>
                <input id="pin" name="pin" inputmode="numeric" autocomplete="off" maxlength={32} required />
                <button type="submit">{t.pinSubmit}</button>
              </form>
            </section>
          ) : null}
          {showStory && product ? (
            <section>
              <h2>{t.product}</h2>
              {product.imageUrl ? <img src={product.imageUrl} alt={product.name} /> : null}
              <p class="name">{product.name}</p>
              <dl>
                <dt>{t.gtin}</dt>
                <dd>{product.gtin}</dd>
                <dt>{t.category}</dt>
                <dd>{t.categories[product.category] ?? product.category}</dd>
                {product.ocopStars ? (
                  <>
                    <dt>OCOP</dt>
                    <dd class="stars" aria-label={t.ocop(product.ocopStars)}>
                      {'★'.repeat(product.ocopStars)}
                    </dd>
                  </>
                ) : null}
                {product.standards ? (
                  <>
                    <dt>{t.standards}</dt>
                    <dd>{product.standards}</dd>
                  </>
                ) : null}
              </dl>
              {product.description ? <p>{product.description}</p> : null}
              {product.shelfLifeDays ? <p class="help">{t.shelfLife(product.shelfLifeDays)}</p> : null}
            </section>
          ) : null}
          {showStory && batch ? (
            <section>
              <h2>{t.batch}</h2>
              <dl>
                <dt>{t.lot}</dt>
                <dd>{batch.lotCode}</dd>
                <dt>{t.productionDate}</dt>
                <dd>{formatDate(batch.productionDate)}</dd>
                {batch.expiryDate ? (
                  <>
                    <dt>{t.expiryDate}</dt>
                    <dd>{formatDate(batch.expiryDate)}</dd>
                  </>
                ) : null}
              </dl>
            </section>
          ) : null}
          {showStory && journey.length > 0 ? (
            <section data-journey={String(journey.length)}>
              <h2>{t.journey}</h2>
              {journeyInputs.length > 0 ? (
                <p class="help">
                  {t.journeyInputs}: {journeyInputs.map((i) => i.sentence[lang]).join('; ')}
                </p>
              ) : null}
              <ol class="journey">
                {journey.map((stage) => (
                  <li class={stage.input ? 'input' : undefined} data-biz-step={stage.bizStep ?? ''} data-input={String(stage.input)}>
                    <time datetime={stage.eventTime}>{formatEventDate(stage.eventTime)}</time>
                    <p class="stage">
                      {stage.name[lang]}
                      {stage.input ? ` · ${t.journeyInputLot(stage.lot.product[lang])}` : ''}
                    </p>
                    {stage.place ? <p>{stage.place}</p> : null}
                    {stage.actor ? <p class="help">{t.journeyBy(stage.actor)}</p> : null}
                    {stage.partner ? <p class="help">{stage.stage === 'receiving' ? t.journeyFrom(stage.partner) : t.journeyTo(stage.partner)}</p> : null}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
          {producer && verdict !== 'invalid' && verdict !== 'unknown_serial' ? (
            <section>
              <h2>{t.producer}</h2>
              <p class="name">{producer.name}</p>
              <p class="help">{t.producerKinds[producer.kind] ?? producer.kind}</p>
              <dl>
                <dt>{t.address}</dt>
                <dd>{fullAddress(producer.address, producer.district, producer.province)}</dd>
                <dt>{t.taxCode}</dt>
                <dd>{producer.taxCode}</dd>
                {producer.phone ? (
                  <>
                    <dt>{t.phone}</dt>
                    <dd>{producer.phone}</dd>
                  </>
                ) : null}
              </dl>
            </section>
          ) : null}
          {showStory && certificates.length > 0 ? (
            <section>
              <h2>{t.certificates}</h2>
              <ul>
                {certificates.map((cert) => (
                  <li>
                    {t.certificateKinds[cert.kind] ?? cert.kind} · {cert.number} · {cert.issuer}
                    {cert.validTo ? ` (${t.validUntil(formatDate(cert.validTo))})` : ''}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {verdict !== 'genuine' ? (
            <section>
              <p class="help">{t.whatToDo}</p>
            </section>
          ) : null}
          {formAction && answer.code && verdict !== 'invalid' ? (
            <section>
              <details open={verdict === 'suspect'}>
                <summary>{t.reportTitle}</summary>
                <form method="post" action={formAction('report')}>
                  <label for="report-text">{t.reportText}</label>
                  <textarea id="report-text" name="text" rows={3} maxlength={2000} required></textarea>
                  <label for="report-shop">{t.reportShop}</label>
                  <input id="report-shop" name="shop" maxlength={300} />
                  <label for="report-contact">{t.reportContact}</label>
                  <input id="report-contact" name="contact" maxlength={200} />
                  <button type="submit">{t.reportSubmit}</button>
                </form>
              </details>
            </section>
          ) : null}
          <footer>
            <span>
              {answer.serial !== null ? `${t.serial} ${answer.serial} · ` : ''}
              {t.footer}
            </span>
            <a href={langSwitchHref} hreflang={lang === 'vi' ? 'en' : 'vi'}>
              {t.otherLanguage}
            </a>
          </footer>
        </main>
      </body>
    </html>
  );
}

function renderNotice(notice: Notice, lang: Language): { text: string; good: boolean } {
  const t = STRINGS[lang];
  switch (notice.kind) {
    case 'pin_first':
      return { text: t.pinFirst, good: true };
    case 'pin_again':
      return { text: t.pinAgain(formatInstant(new Date(notice.confirmedAt), lang), formatPlace(notice.place)), good: false };
    case 'pin_wrong':
      return { text: t.pinWrong(notice.attemptsLeft), good: false };
    case 'pin_locked':
      return { text: t.pinLocked, good: false };
    case 'pin_no_pin':
      return { text: t.pinNoPin, good: false };
    case 'pin_format':
      return { text: t.pinFormat, good: false };
    case 'report_invalid':
      return { text: t.reportInvalid, good: false };
    case 'report_ok':
      return { text: t.reportThanks, good: true };
    case 'error':
      return { text: t.formError + notice.message, good: false };
  }
}

/** The address, followed by district and province unless it already names them. */
export function fullAddress(address: string, district: string | null, province: string | null): string {
  const has = (part: string) => address.toLocaleLowerCase('vi').includes(part.toLocaleLowerCase('vi'));
  return [address, ...[district, province].filter((p): p is string => !!p && !has(p))].join(', ');
}
