/**
 * Every consumer-facing string of the scan page, one object per language (Vietnamese first, the
 * default). Functions take the values they interpolate.
 */
import type { Verdict } from '../domain/stamp-answer.ts';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const vi = {
  htmlLang: 'vi',
  siteName: 'Truy xuất nguồn gốc Quảng Ninh',
  verdictTitle: {
    genuine: 'Tem chính hãng',
    suspect: 'Tem có dấu hiệu bất thường',
    not_activated: 'Tem chưa được kích hoạt',
    voided: 'Tem đã bị hủy',
    recalled: 'Lô hàng đã bị thu hồi',
    unknown_serial: 'Không tìm thấy tem trong hệ thống',
    invalid: 'Mã tem không hợp lệ',
  } satisfies Record<Verdict, string>,
  verdictText: {
    genuine: 'Tem do cơ quan quản lý cấp và đã gắn với lô hàng dưới đây.',
    suspect: 'Tem này có dấu hiệu bị sao chép. Hãy kiểm tra kỹ sản phẩm trước khi dùng.',
    not_activated: 'Tem có thật nhưng chưa được cơ sở sản xuất gắn với lô hàng nào. Sản phẩm mang tem này chưa được phép lưu hành.',
    voided: 'Tem này đã bị hủy (hỏng, mất hoặc thất lạc) và không còn giá trị.',
    recalled: 'Lô hàng mang tem này đã bị thu hồi. Không sử dụng sản phẩm.',
    unknown_serial: 'Mã tem đúng định dạng nhưng không thuộc đợt in tem nào. Có thể là tem giả.',
    invalid: 'Mã trên tem không phải do hệ thống cấp. Có thể là tem giả hoặc mã bị chụp sai.',
  } satisfies Record<Verdict, string>,
  firstScan: 'Đây là lần quét đầu tiên của tem này.',
  earlierScan: (when: string, where: string | null, n: number) =>
    `Tem được quét lần đầu lúc ${when}${where ? ` tại ${where}` : ''}. Đây là lần quét thứ ${n}.`,
  product: 'Sản phẩm',
  producer: 'Cơ sở sản xuất',
  batch: 'Lô hàng',
  certificates: 'Chứng nhận',
  gtin: 'Mã GTIN',
  category: 'Nhóm',
  categories: { farm: 'Nông sản', forest: 'Lâm sản', fishery: 'Thủy sản' } as Record<string, string>,
  ocop: (stars: number) => `OCOP ${stars} sao`,
  standards: 'Tiêu chuẩn áp dụng',
  shelfLife: (days: number) => `Hạn sử dụng: ${days} ngày kể từ ngày sản xuất`,
  producerKinds: { enterprise: 'Doanh nghiệp', cooperative: 'Hợp tác xã', household_business: 'Hộ kinh doanh' } as Record<string, string>,
  address: 'Địa chỉ',
  taxCode: 'Mã số thuế',
  phone: 'Điện thoại',
  lot: 'Số lô',
  productionDate: 'Ngày sản xuất',
  expiryDate: 'Hạn sử dụng',
  certificateKinds: {
    vietgap: 'VietGAP',
    ocop: 'OCOP',
    food_safety: 'An toàn thực phẩm',
    organic: 'Hữu cơ',
    other: 'Khác',
  } as Record<string, string>,
  validUntil: (d: string) => `hiệu lực đến ${d}`,
  serial: 'Số sê-ri',
  whatToDo: 'Nếu nghi ngờ hàng giả, hãy giữ lại sản phẩm và hóa đơn, rồi báo cho Sở Nông nghiệp và Môi trường Quảng Ninh.',
  reasonsTitle: 'Vì sao hệ thống cảnh báo',
  reasons: {
    many_sessions: 'Tem này đã được quét trên rất nhiều điện thoại khác nhau.',
    many_places: 'Tem này đã được quét ở nhiều nơi khác nhau.',
    impossible_travel: 'Tem này vừa được quét ở hai nơi cách xa nhau trong thời gian quá ngắn.',
    scan_before_activation: 'Tem này đã được quét trước khi cơ sở sản xuất kích hoạt.',
    scan_of_voided: 'Tem này đã bị hủy nhưng vẫn đang được quét.',
    scan_of_recalled: 'Lô hàng mang tem này đã bị thu hồi.',
    outside_distribution_area: 'Tem được quét lần đầu ngoài khu vực phân phối mà cơ sở sản xuất đã đăng ký.',
    pin_reused: 'Mã bí mật dưới lớp cào của tem này đã được xác nhận trước đó.',
  } as Record<string, string>,
  pinTitle: 'Xác nhận mã bí mật',
  pinHelp: 'Sau khi mua, cào lớp phủ trên tem và nhập mã 8 chữ số để xác nhận sản phẩm là của bạn.',
  pinLabel: 'Mã bí mật (8 chữ số)',
  pinSubmit: 'Xác nhận',
  pinFirst: 'Mã bí mật đúng. Sản phẩm là hàng chính hãng và bạn là người đầu tiên xác nhận.',
  pinAgain: (when: string, where: string | null) =>
    `Mã bí mật này đã được xác nhận lần đầu lúc ${when}${where ? ` tại ${where}` : ''}. Nếu không phải bạn xác nhận, sản phẩm có thể là hàng giả.`,
  pinWrong: (left: number) => `Mã bí mật không đúng. Bạn còn ${left} lần thử.`,
  pinLocked: 'Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau ít phút.',
  pinNoPin: 'Tem này không có mã bí mật.',
  expired: (date: string) => `Sản phẩm đã quá hạn sử dụng (hết hạn ngày ${date}). Không nên sử dụng.`,
  pinFormat: 'Mã bí mật gồm 8 chữ số. Hãy kiểm tra và nhập lại (lần nhập sai định dạng không bị tính).',
  reportInvalid: 'Hãy mô tả điều bạn thấy (tối đa 2.000 ký tự). Nơi mua và liên hệ không bắt buộc.',
  reportTitle: 'Báo nghi ngờ hàng giả',
  reportText: 'Mô tả điều bạn thấy',
  reportShop: 'Nơi mua (tên cửa hàng, địa chỉ)',
  reportContact: 'Liên hệ của bạn (không bắt buộc)',
  reportSubmit: 'Gửi báo cáo',
  reportThanks: 'Cảm ơn bạn. Báo cáo đã được gửi tới cơ quan quản lý.',
  formError: 'Không gửi được: ',
  otherLanguage: 'English',
  footer: 'Hệ thống tem truy xuất nguồn gốc nông, lâm, thủy sản an toàn tỉnh Quảng Ninh',
  journey: 'Hành trình sản phẩm',
  journeyInputs: 'Nguyên liệu',
  journeyBy: (actor: string) => `Thực hiện: ${actor}`,
  journeyTo: (partner: string) => `Giao cho: ${partner}`,
  journeyFrom: (partner: string) => `Nhận từ: ${partner}`,
  journeyInputLot: (product: string) => `Nguyên liệu: ${product}`,
  dateLocale: 'vi-VN',
};

export type Strings = typeof vi;

const en: Strings = {
  htmlLang: 'en',
  siteName: 'Quảng Ninh product traceability',
  verdictTitle: {
    genuine: 'Genuine stamp',
    suspect: 'Something is wrong with this stamp',
    not_activated: 'Stamp not activated',
    voided: 'Stamp voided',
    recalled: 'Batch recalled',
    unknown_serial: 'Stamp not found',
    invalid: 'Invalid stamp code',
  },
  verdictText: {
    genuine: 'This stamp was issued by the province and is bound to the batch below.',
    suspect: 'This stamp shows signs of being copied. Check the product carefully before use.',
    not_activated: 'The stamp is real but the producer has not bound it to a batch yet. Goods carrying it are not cleared for sale.',
    voided: 'This stamp was voided (damaged, lost or missing) and is no longer valid.',
    recalled: 'The batch carrying this stamp has been recalled. Do not use the product.',
    unknown_serial: 'The code is well-formed but belongs to no print run. It may be a fake stamp.',
    invalid: 'This code was not issued by the system. It may be fake, or the code was misread.',
  },
  firstScan: 'This is the first scan of this stamp.',
  earlierScan: (when, where, n) => `First scanned on ${when}${where ? ` in ${where}` : ''}. This is scan ${n}.`,
  product: 'Product',
  producer: 'Producer',
  batch: 'Batch',
  certificates: 'Certificates',
  gtin: 'GTIN',
  category: 'Category',
  categories: { farm: 'Farm produce', forest: 'Forest produce', fishery: 'Fishery produce' },
  ocop: (stars) => `OCOP ${stars} stars`,
  standards: 'Standards applied',
  shelfLife: (days) => `Shelf life: ${days} days from production`,
  producerKinds: { enterprise: 'Enterprise', cooperative: 'Cooperative', household_business: 'Household business' },
  address: 'Address',
  taxCode: 'Tax code',
  phone: 'Phone',
  lot: 'Lot',
  productionDate: 'Production date',
  expiryDate: 'Best before',
  certificateKinds: { vietgap: 'VietGAP', ocop: 'OCOP', food_safety: 'Food safety', organic: 'Organic', other: 'Other' },
  validUntil: (d) => `valid until ${d}`,
  serial: 'Serial',
  whatToDo: "If you suspect a fake, keep the product and the receipt and tell Quảng Ninh's Department of Agriculture and Environment.",
  reasonsTitle: 'Why the system warns',
  reasons: {
    many_sessions: 'This stamp has been scanned on a great many different phones.',
    many_places: 'This stamp has been scanned in many different places.',
    impossible_travel: 'This stamp was just scanned in two places too far apart for the time between them.',
    scan_before_activation: 'This stamp was scanned before the producer activated it.',
    scan_of_voided: 'This stamp was voided but is still being scanned.',
    scan_of_recalled: 'The batch carrying this stamp has been recalled.',
    outside_distribution_area: "This stamp was first scanned outside the producer's declared sales area.",
    pin_reused: "This stamp's hidden code has been confirmed before.",
  },
  pinTitle: 'Confirm the hidden code',
  pinHelp: 'After buying, scratch the stamp and enter the 8-digit code to confirm the product is yours.',
  pinLabel: 'Hidden code (8 digits)',
  pinSubmit: 'Confirm',
  pinFirst: 'The hidden code is correct. The product is genuine and you are the first to confirm it.',
  pinAgain: (when, where) =>
    `This hidden code was first confirmed on ${when}${where ? ` in ${where}` : ''}. If that was not you, the product may be fake.`,
  pinWrong: (left) => `Wrong code. ${left} attempts left.`,
  pinLocked: 'Too many wrong attempts. Try again in a few minutes.',
  pinNoPin: 'This stamp has no hidden code.',
  expired: (date) => `This product is past its expiry date (${date}). Do not use it.`,
  pinFormat: 'The hidden code has 8 digits. Check it and try again (this did not count as an attempt).',
  reportInvalid: 'Please describe what you noticed (up to 2,000 characters). Shop and contact are optional.',
  reportTitle: 'Report a suspected fake',
  reportText: 'What did you notice?',
  reportShop: 'Where you bought it (shop name, address)',
  reportContact: 'Your contact (optional)',
  reportSubmit: 'Send report',
  reportThanks: 'Thank you. Your report has been sent to the authorities.',
  formError: 'Could not send: ',
  otherLanguage: 'Tiếng Việt',
  footer: 'Quảng Ninh traceability stamps for safe farm, forest and fishery food',
  journey: "The product's journey",
  journeyInputs: 'Made from',
  journeyBy: (actor: string) => `By ${actor}`,
  journeyTo: (partner: string) => `To ${partner}`,
  journeyFrom: (partner: string) => `From ${partner}`,
  journeyInputLot: (product: string) => `Ingredient: ${product}`,
  dateLocale: 'en-GB',
};

export const STRINGS: Record<Language, Strings> = { vi, en };

/**
 * Picks the page language: `?lang=` wins, then the first of vi/en in Accept-Language by q-value
 * (RFC 9110 §12.5.4), else Vietnamese.
 * @example pickLanguage(undefined, 'en-US,en;q=0.9') // 'en'
 */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query === 'en' || query === 'vi') return query;
  if (!acceptLanguage) return 'vi';
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { lang: tag.toLowerCase().split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((x) => x.weight > 0 && (x.lang === 'vi' || x.lang === 'en'))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return (ranked[0]?.lang as Language | undefined) ?? 'vi';
}

/** Formats an instant as local time in Việt Nam (Asia/Ho_Chi_Minh), e.g. "14:05 30/11/2026". */
export function formatInstant(at: Date, lang: Language): string {
  return new Intl.DateTimeFormat(STRINGS[lang].dateLocale, {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(at);
}

/**
 * The calendar day of an ISO 8601 time in its own offset, as `DD/MM/YYYY` (a stage happened on the
 * day where it happened); other input is returned unchanged.
 * @example formatEventDate('2026-03-20T06:30:00+07:00') // "20/03/2026"
 */
export function formatEventDate(isoTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T/.exec(isoTime);
  return m ? formatDate(m[1]!) : isoTime;
}

/** Formats an ISO calendar date `YYYY-MM-DD` as `DD/MM/YYYY`; other input is returned unchanged. */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}
