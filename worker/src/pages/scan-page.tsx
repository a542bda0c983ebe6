/** @jsxImportSource hono/jsx */
/** The consumer's scan page: mobile-first HTML readable without JavaScript, vi (default) or en. */
import { formatPlace } from '../domain/place.ts';
import type { ScanAnswer } from '../routes/scan.ts';
import { formatDate, formatInstant, STRINGS, type Language } from './strings.ts';

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
footer{margin:1.5rem 1.25rem 0;color:#5a6b62;font-size:.85rem;display:flex;justify-content:space-between;gap:1rem}
a{color:#17703f}`;

/** Renders the scan answer as a full HTML document. */
export function ScanPage({ answer, lang, langSwitchHref }: { answer: ScanAnswer; lang: Language; langSwitchHref: string }) {
  const t = STRINGS[lang];
  const { verdict, scan, product, producer, batch, certificates } = answer;
  const showStory = verdict === 'genuine' || verdict === 'suspect' || verdict === 'recalled';
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${t.verdictTitle[verdict]} · ${t.siteName}`}</title>
        <style>{STYLE}</style>
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
          {producer && verdict !== 'invalid' && verdict !== 'unknown_serial' ? (
            <section>
              <h2>{t.producer}</h2>
              <p class="name">{producer.name}</p>
              <p class="help">{t.producerKinds[producer.kind] ?? producer.kind}</p>
              <dl>
                <dt>{t.address}</dt>
                <dd>{[producer.address, producer.district, producer.province].filter(Boolean).join(', ')}</dd>
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
