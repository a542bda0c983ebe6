/**
 * The demo data that db/seed.ts loads, shaped like Quảng Ninh's traceability programme: producers
 * (enterprise, cooperatives, household businesses), OCOP products with their batches, and
 * certificates. Plain data, no database code.
 *
 * Producers, tax codes, certificate numbers, phones and GS1 keys are fictional. Tax codes start
 * with 57 (Quảng Ninh's tax-office prefix); GTINs and GLNs sit under GS1 Vietnam's 893 prefix with
 * correct mod-10 check digits (db/test/seed.test.ts checks them).
 */
import type { CertificateKind, ProducerKind, ProductCategory } from './schema.ts';

/** A producer as seeded; its province is {@link PROVINCE}. */
export interface SeedProducer {
  kind: ProducerKind;
  name: string;
  taxCode: string;
  address: string;
  district: string;
  gln: string | null;
  phone: string | null;
  distributionArea: string | null;
}

/** A batch of a seeded product; its expiry is the production date plus the product's shelf life. */
export interface SeedBatch {
  lotCode: string;
  productionDate: string;
  quantity: number;
}

/** A product as seeded, with its producer's tax code and its batches. */
export interface SeedProduct {
  producerTaxCode: string;
  name: string;
  gtin: string;
  category: ProductCategory;
  ocopStars: number | null;
  imageUrl: string | null;
  description: string;
  shelfLifeDays: number | null;
  standards: string | null;
  unit: string;
  batches: SeedBatch[];
}

/** A certificate as seeded, referring to its producer and product by tax code and GTIN. */
export interface SeedCertificate {
  producerTaxCode: string;
  /** GTIN of the product the certificate covers; null = the whole establishment. */
  productGtin: string | null;
  kind: CertificateKind;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string | null;
}

/** The province every demo producer is in. */
export const PROVINCE = 'Quảng Ninh';

/** Tax codes of the demo producers, by short name (rows refer to producers by tax code). */
const TAX = {
  bienXanh: '5701862349',
  caiRong: '5702019476',
  baChe: '5701738520',
  mienDong: '5700934182',
  tienYen: '5701995031',
  matOng: '5701427806',
} as const;

/** The demo producers; the first one gets the demo enterprise user. */
export const PRODUCERS: SeedProducer[] = [
  {
    kind: 'enterprise',
    name: 'Công ty TNHH Chả mực Biển Xanh Hạ Long',
    taxCode: TAX.bienXanh,
    address: 'Số 26 phố Cao Xanh, phường Cao Xanh, thành phố Hạ Long, tỉnh Quảng Ninh',
    district: 'Hạ Long',
    gln: '8936084100010',
    phone: '0203 3825 618',
    distributionArea: 'Quảng Ninh,Hà Nội,Hải Phòng,Thành phố Hồ Chí Minh',
  },
  {
    kind: 'cooperative',
    name: 'Hợp tác xã Thủy sản Cái Rồng',
    taxCode: TAX.caiRong,
    address: 'Khu 3, thị trấn Cái Rồng, huyện Vân Đồn, tỉnh Quảng Ninh',
    district: 'Vân Đồn',
    gln: '8936092700011',
    phone: '0203 3793 245',
    distributionArea: 'Quảng Ninh,Hà Nội,Hải Phòng',
  },
  {
    kind: 'cooperative',
    name: 'Hợp tác xã Nông lâm nghiệp Ba Chẽ Xanh',
    taxCode: TAX.baChe,
    address: 'Khu 4, thị trấn Ba Chẽ, huyện Ba Chẽ, tỉnh Quảng Ninh',
    district: 'Ba Chẽ',
    gln: '8936103500012',
    phone: '0912 468 305',
    distributionArea: null,
  },
  {
    kind: 'household_business',
    name: 'Hộ kinh doanh Lục Thị Mai (Miến dong Bình Liêu)',
    taxCode: TAX.mienDong,
    address: 'Khu Bình Công, thị trấn Bình Liêu, huyện Bình Liêu, tỉnh Quảng Ninh',
    district: 'Bình Liêu',
    gln: null,
    phone: '0386 215 479',
    distributionArea: 'Quảng Ninh,Hà Nội,Lạng Sơn',
  },
  {
    kind: 'cooperative',
    name: 'Hợp tác xã Gà Tiên Yên Hải Lạng',
    taxCode: TAX.tienYen,
    address: 'Thôn Đồng Châu, xã Hải Lạng, huyện Tiên Yên, tỉnh Quảng Ninh',
    district: 'Tiên Yên',
    gln: '8936126300019',
    phone: '0203 3876 142',
    distributionArea: 'Quảng Ninh,Hà Nội',
  },
  {
    kind: 'household_business',
    name: 'Hộ kinh doanh Phạm Văn Quý (Mật ong rừng Đầm Hà)',
    taxCode: TAX.matOng,
    address: 'Thôn Tân Hợp, xã Tân Bình, huyện Đầm Hà, tỉnh Quảng Ninh',
    district: 'Đầm Hà',
    gln: null,
    phone: '0978 540 163',
    distributionArea: 'Quảng Ninh',
  },
];

/** The demo products and their batches. */
export const PRODUCTS: SeedProduct[] = [
  {
    producerTaxCode: TAX.bienXanh,
    name: 'Chả mực Hạ Long',
    gtin: '8936084100119',
    category: 'fishery',
    ocopStars: 5,
    imageUrl: '/images/cha-muc.svg',
    description:
      'Chả mực giã tay từ mực mai tươi đánh bắt ở vịnh Bái Tử Long, dai giòn, thơm ngọt; hộp 500 g, bảo quản đông lạnh −18 °C.',
    shelfLifeDays: 180,
    standards: 'HACCP; ISO 22000:2018',
    unit: 'hộp',
    batches: [
      { lotCode: 'CM-2026-09-01', productionDate: '2026-09-12', quantity: 1200 },
      { lotCode: 'CM-2026-10-01', productionDate: '2026-10-08', quantity: 1500 },
      { lotCode: 'CM-2026-11-01', productionDate: '2026-11-18', quantity: 1400 },
    ],
  },
  {
    producerTaxCode: TAX.caiRong,
    name: 'Nước mắm Cái Rồng',
    gtin: '8936092700110',
    category: 'fishery',
    ocopStars: 4,
    imageUrl: '/images/nuoc-mam.svg',
    description:
      'Nước mắm truyền thống ủ chượp cá cơm với muối biển trong thùng gỗ 12 tháng, độ đạm 30 °N; chai thủy tinh 500 ml.',
    shelfLifeDays: 730,
    standards: 'TCVN 5107:2018',
    unit: 'chai',
    batches: [
      { lotCode: 'NM-2026-03-01', productionDate: '2026-03-20', quantity: 3000 },
      { lotCode: 'NM-2026-07-01', productionDate: '2026-07-15', quantity: 2400 },
      { lotCode: 'NM-2026-10-01', productionDate: '2026-10-22', quantity: 3600 },
    ],
  },
  {
    producerTaxCode: TAX.caiRong,
    name: 'Sá sùng khô Vân Đồn',
    gtin: '8936092700127',
    category: 'fishery',
    ocopStars: 4,
    imageUrl: '/images/sa-sung.svg',
    description:
      'Sá sùng khai thác ở bãi triều Quan Lạn, Minh Châu, làm sạch, phơi và sấy khô; gói 100 g.',
    shelfLifeDays: 365,
    standards: 'HACCP',
    unit: 'gói',
    batches: [
      { lotCode: 'SS-2026-06-01', productionDate: '2026-06-10', quantity: 800 },
      { lotCode: 'SS-2026-09-01', productionDate: '2026-09-05', quantity: 600 },
    ],
  },
  {
    producerTaxCode: TAX.caiRong,
    name: 'Hàu sữa Vân Đồn',
    gtin: '8936092700134',
    category: 'fishery',
    ocopStars: 3,
    imageUrl: null,
    description:
      'Hàu Thái Bình Dương nuôi bè ở vùng biển Vân Đồn theo VietGAP, thu hoạch trong ngày, đóng túi lưới 5 kg.',
    shelfLifeDays: 5,
    standards: 'VietGAP',
    unit: 'kg',
    batches: [
      { lotCode: 'HAU-2026-11-01', productionDate: '2026-11-03', quantity: 500 },
      { lotCode: 'HAU-2026-11-02', productionDate: '2026-11-17', quantity: 650 },
      { lotCode: 'HAU-2026-11-03', productionDate: '2026-11-27', quantity: 400 },
    ],
  },
  {
    producerTaxCode: TAX.baChe,
    name: 'Trà hoa vàng Ba Chẽ',
    gtin: '8936103500111',
    category: 'forest',
    ocopStars: 5,
    imageUrl: '/images/tra-hoa-vang.svg',
    description:
      'Nụ trà hoa vàng hái dưới tán rừng Ba Chẽ, sấy lạnh giữ màu vàng óng và vị ngọt hậu; hộp 50 g.',
    shelfLifeDays: 730,
    standards: 'VietGAP',
    unit: 'hộp',
    batches: [
      { lotCode: 'THV-2026-01-01', productionDate: '2026-01-16', quantity: 1000 },
      { lotCode: 'THV-2026-02-01', productionDate: '2026-02-24', quantity: 800 },
    ],
  },
  {
    producerTaxCode: TAX.baChe,
    name: 'Ba kích tím Ba Chẽ',
    gtin: '8936103500128',
    category: 'forest',
    ocopStars: 4,
    imageUrl: '/images/ba-kich.svg',
    description:
      'Củ ba kích tím trồng dưới tán rừng từ ba năm trở lên, rút lõi, sấy khô; gói 500 g.',
    shelfLifeDays: 730,
    standards: 'VietGAP',
    unit: 'gói',
    batches: [
      { lotCode: 'BK-2026-04-01', productionDate: '2026-04-09', quantity: 600 },
      { lotCode: 'BK-2026-08-01', productionDate: '2026-08-21', quantity: 500 },
    ],
  },
  {
    producerTaxCode: TAX.baChe,
    name: 'Rượu ba kích tím',
    gtin: '8936103500135',
    category: 'forest',
    ocopStars: 3,
    imageUrl: null,
    description: 'Rượu ngâm củ ba kích tím Ba Chẽ, nồng độ 29 % vol; chai 500 ml.',
    shelfLifeDays: null,
    standards: 'QCVN 6-3:2010/BYT',
    unit: 'chai',
    batches: [
      { lotCode: 'RBK-2026-05-01', productionDate: '2026-05-14', quantity: 1500 },
      { lotCode: 'RBK-2026-10-01', productionDate: '2026-10-02', quantity: 1200 },
    ],
  },
  {
    producerTaxCode: TAX.mienDong,
    name: 'Miến dong Bình Liêu',
    gtin: '8936115800117',
    category: 'farm',
    ocopStars: 4,
    imageUrl: '/images/mien-dong.svg',
    description:
      'Miến làm từ tinh bột củ dong riềng trồng ở Bình Liêu, tráng và phơi thủ công, sợi dai, không phẩm màu; gói 500 g.',
    shelfLifeDays: 365,
    standards: 'VietGAP',
    unit: 'gói',
    batches: [
      { lotCode: 'MD-2026-01-01', productionDate: '2026-01-08', quantity: 5000 },
      { lotCode: 'MD-2026-02-01', productionDate: '2026-02-03', quantity: 4000 },
      { lotCode: 'MD-2026-11-01', productionDate: '2026-11-20', quantity: 6000 },
    ],
  },
  {
    producerTaxCode: TAX.tienYen,
    name: 'Gà Tiên Yên',
    gtin: '8936126300118',
    category: 'farm',
    ocopStars: 4,
    imageUrl: '/images/ga-tien-yen.svg',
    description:
      'Gà Tiên Yên thả đồi, nuôi trên năm tháng, chân vàng, da giòn; làm sạch nguyên con, hút chân không, bảo quản 0–4 °C.',
    shelfLifeDays: 7,
    standards: 'VietGAHP',
    unit: 'con',
    batches: [
      { lotCode: 'GTY-2026-10-01', productionDate: '2026-10-28', quantity: 300 },
      { lotCode: 'GTY-2026-11-01', productionDate: '2026-11-12', quantity: 350 },
      { lotCode: 'GTY-2026-11-02', productionDate: '2026-11-26', quantity: 280 },
    ],
  },
  {
    producerTaxCode: TAX.matOng,
    name: 'Mật ong rừng Đầm Hà',
    gtin: '8936137400111',
    category: 'forest',
    ocopStars: 3,
    imageUrl: null,
    description:
      'Mật ong từ đàn ong nội nuôi ven rừng tự nhiên Đầm Hà, quay mật thủ công, không pha đường; chai 500 ml.',
    shelfLifeDays: 730,
    standards: 'TCVN 5267-1:2008',
    unit: 'chai',
    batches: [
      { lotCode: 'MO-2026-04-01', productionDate: '2026-04-25', quantity: 400 },
      { lotCode: 'MO-2026-06-01', productionDate: '2026-06-18', quantity: 500 },
    ],
  },
];

/** OCOP 3–4 stars are recognised by the province; 5 stars by the ministry (Quyết định 148/QĐ-TTg). */
const OCOP_PROVINCE = 'UBND tỉnh Quảng Ninh';
const OCOP_MINISTRY = 'Bộ Nông nghiệp và Môi trường';
const FOOD_SAFETY_ISSUER = 'Sở Nông nghiệp và Môi trường tỉnh Quảng Ninh';
const VIETGAP_ISSUER = 'Trung tâm Chứng nhận chất lượng nông lâm thủy sản (tổ chức chứng nhận VietGAP)';

/** The demo certificates: OCOP, VietGAP and food safety. */
export const CERTIFICATES: SeedCertificate[] = [
  // OCOP: one per product, valid 36 months.
  ocop(TAX.bienXanh, '8936084100119', '1843/QĐ-BNNMT', OCOP_MINISTRY, '2025-09-15'),
  ocop(TAX.caiRong, '8936092700110', '4127/QĐ-UBND', OCOP_PROVINCE, '2024-12-20'),
  ocop(TAX.caiRong, '8936092700127', '4127/QĐ-UBND', OCOP_PROVINCE, '2024-12-20'),
  ocop(TAX.caiRong, '8936092700134', '2386/QĐ-UBND', OCOP_PROVINCE, '2025-08-06'),
  ocop(TAX.baChe, '8936103500111', '1843/QĐ-BNNMT', OCOP_MINISTRY, '2025-09-15'),
  ocop(TAX.baChe, '8936103500128', '4127/QĐ-UBND', OCOP_PROVINCE, '2024-12-20'),
  ocop(TAX.baChe, '8936103500135', '2386/QĐ-UBND', OCOP_PROVINCE, '2025-08-06'),
  ocop(TAX.mienDong, '8936115800117', '4127/QĐ-UBND', OCOP_PROVINCE, '2024-12-20'),
  ocop(TAX.tienYen, '8936126300118', '2386/QĐ-UBND', OCOP_PROVINCE, '2025-08-06'),
  ocop(TAX.matOng, '8936137400111', '3915/QĐ-UBND', OCOP_PROVINCE, '2025-12-18'),
  // VietGAP (TT crops, TS aquaculture, CN livestock): per product, valid 3 years.
  vietgap(TAX.caiRong, '8936092700134', 'VietGAP-TS-03-25-0147', '2025-05-12'),
  vietgap(TAX.baChe, '8936103500111', 'VietGAP-TT-03-24-0218', '2024-11-04'),
  vietgap(TAX.baChe, '8936103500128', 'VietGAP-TT-03-24-0219', '2024-11-04'),
  vietgap(TAX.mienDong, '8936115800117', 'VietGAP-TT-03-25-0062', '2025-03-27'),
  vietgap(TAX.tienYen, '8936126300118', 'VietGAP-CN-03-25-0031', '2025-06-30'),
  // Food safety: per establishment, valid 3 years (small household businesses are exempt).
  foodSafety(TAX.bienXanh, '112/2025/GCNATTP-SNNMT', '2025-04-21'),
  foodSafety(TAX.caiRong, '138/2025/GCNATTP-SNNMT', '2025-05-09'),
  foodSafety(TAX.baChe, '205/2025/GCNATTP-SNNMT', '2025-07-16'),
  foodSafety(TAX.tienYen, '47/2026/GCNATTP-SNNMT', '2026-02-10'),
];

function ocop(taxCode: string, gtin: string, number: string, issuer: string, from: string): SeedCertificate {
  return { producerTaxCode: taxCode, productGtin: gtin, kind: 'ocop', number, issuer, validFrom: from, validTo: addYears(from, 3) };
}

function vietgap(taxCode: string, gtin: string, number: string, from: string): SeedCertificate {
  return {
    producerTaxCode: taxCode,
    productGtin: gtin,
    kind: 'vietgap',
    number,
    issuer: VIETGAP_ISSUER,
    validFrom: from,
    validTo: addYears(from, 3),
  };
}

function foodSafety(taxCode: string, number: string, from: string): SeedCertificate {
  return {
    producerTaxCode: taxCode,
    productGtin: null,
    kind: 'food_safety',
    number,
    issuer: FOOD_SAFETY_ISSUER,
    validFrom: from,
    validTo: addYears(from, 3),
  };
}

/** `YYYY-MM-DD` plus whole years, minus one day (the last day a certificate is valid). */
function addYears(isoDate: string, years: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Journeys (issue 7): raw-material lots, locations, partners and the trace events of two products,
// with the communes as they are since 1 July 2025 (db/data/vn-admin-units-2025.json; Quảng Ninh 22).

/**
 * Raw-material lots that seeded products are made from: registered so that their journey stages
 * name them, but not OCOP products (no rating, no certificate, one lot each).
 */
export const RAW_MATERIALS: SeedProduct[] = [
  {
    producerTaxCode: TAX.caiRong,
    name: 'Cá cơm than',
    gtin: '8936092700141',
    category: 'fishery',
    ocopStars: null,
    imageUrl: null,
    description: 'Cá cơm than tươi do tàu của xã viên đánh bắt ở ngư trường quanh đảo Cô Tô, ướp muối ngay trên tàu.',
    shelfLifeDays: null,
    standards: null,
    unit: 'kg',
    batches: [{ lotCode: 'CC-2025-03-01', productionDate: '2025-03-08', quantity: 2400 }],
  },
  {
    producerTaxCode: TAX.baChe,
    name: 'Nụ trà hoa vàng tươi',
    gtin: '8936103500142',
    category: 'forest',
    ocopStars: null,
    imageUrl: null,
    description: 'Nụ trà hoa vàng hái tay dưới tán rừng tự nhiên xã Ba Chẽ, chuyển về xưởng sấy trong ngày.',
    shelfLifeDays: null,
    standards: 'VietGAP',
    unit: 'kg',
    batches: [{ lotCode: 'NTHV-2026-01-01', productionDate: '2026-01-10', quantity: 120 }],
  },
];

/** A seeded location of a producer; `key` names it within the seed. */
export interface SeedLocation {
  key: string;
  producerTaxCode: string;
  kind: 'farm' | 'pond' | 'forest_plot' | 'fishing_ground' | 'processing_plant' | 'warehouse' | 'shop' | 'other';
  name: string;
  address: string;
  provinceCode: string;
  communeCode: string;
  latitude: number | null;
  longitude: number | null;
}

/** The places of the seeded journeys. */
export const LOCATIONS: SeedLocation[] = [
  {
    key: 'coToGround',
    producerTaxCode: TAX.caiRong,
    kind: 'fishing_ground',
    name: 'Ngư trường Cô Tô',
    address: 'Vùng biển quanh đảo Cô Tô, đặc khu Cô Tô, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '07192',
    latitude: 20.98,
    longitude: 107.77,
  },
  {
    key: 'caiRongPlant',
    producerTaxCode: TAX.caiRong,
    kind: 'processing_plant',
    name: 'Nhà thùng chượp Cái Rồng',
    address: 'Khu 3, Cái Rồng, đặc khu Vân Đồn, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '06994',
    latitude: 21.0566,
    longitude: 107.4283,
  },
  {
    key: 'baCheForest',
    producerTaxCode: TAX.baChe,
    kind: 'forest_plot',
    name: 'Vườn trà hoa vàng dưới tán rừng Khe Lạnh',
    address: 'Thôn Khe Lạnh, xã Ba Chẽ, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '06970',
    latitude: 21.29,
    longitude: 107.31,
  },
  {
    key: 'baChePlant',
    producerTaxCode: TAX.baChe,
    kind: 'processing_plant',
    name: 'Xưởng sấy lạnh Ba Chẽ Xanh',
    address: 'Khu 4, xã Ba Chẽ, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '06970',
    latitude: 21.2687,
    longitude: 107.2878,
  },
];

/** A seeded trading partner of a producer; `key` names it within the seed. */
export interface SeedPartner {
  key: string;
  producerTaxCode: string;
  name: string;
  taxCode: string | null;
  address: string;
  provinceCode: string;
  communeCode: string;
}

/** The customers the seeded lots were shipped to (shops in Hạ Long, outside the registry). */
export const PARTNERS: SeedPartner[] = [
  {
    key: 'haLongShop',
    producerTaxCode: TAX.caiRong,
    name: 'Cửa hàng Đặc sản OCOP Hạ Long',
    taxCode: '5701357924',
    address: 'Số 18 đường Hạ Long, phường Bãi Cháy, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '06673',
  },
  {
    key: 'haLongMarket',
    producerTaxCode: TAX.baChe,
    name: 'Siêu thị Nông sản sạch Hồng Gai',
    taxCode: '5702468135',
    address: 'Số 5 phố Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh',
    provinceCode: '22',
    communeCode: '06685',
  },
];

/** A lot by GTIN and lot code. */
export interface SeedLot {
  gtin: string;
  lotCode: string;
}

/** One stage of a seeded journey, recorded as the admin API records it (trace-record.ts). */
export interface SeedStage {
  producerTaxCode: string;
  stage: 'harvest' | 'inspection' | 'processing' | 'packing' | 'shipping' | 'receiving' | 'retail';
  eventTime: string;
  location: string;
  lot: SeedLot;
  quantity?: { value: number; uom: string };
  inputs?: { lot: SeedLot; quantity: { value: number; uom: string } }[];
  partner?: string;
  harvest?: { startDate?: string; endDate?: string; catchArea?: string; areaHectares?: number };
  inspection?: { result: 'pass' | 'fail' };
}

const ANCHOVY: SeedLot = { gtin: '8936092700141', lotCode: 'CC-2025-03-01' };
const FISH_SAUCE: SeedLot = { gtin: '8936092700110', lotCode: 'NM-2026-03-01' };
const TEA_BUDS: SeedLot = { gtin: '8936103500142', lotCode: 'NTHV-2026-01-01' };
const TEA: SeedLot = { gtin: '8936103500111', lotCode: 'THV-2026-01-01' };

/** The lot of the sample stamp `npm start` issues: fish sauce with its anchovies' journey. */
export const SAMPLE_LOT: SeedLot = FISH_SAUCE;

/**
 * The seeded journeys, in recording order: anchovies caught off Cô Tô (FAO area 61), salted into
 * the fermenting vats at Cái Rồng, the fish sauce tested, bottled a year later and shipped to a
 * shop in Hạ Long; golden camellia buds picked under the forest of Ba Chẽ, cold-dried, packed and
 * shipped to a market in Hồng Gai.
 */
export const JOURNEY_STAGES: SeedStage[] = [
  {
    producerTaxCode: TAX.caiRong,
    stage: 'harvest',
    eventTime: '2025-03-08T05:30:00+07:00',
    location: 'coToGround',
    lot: ANCHOVY,
    quantity: { value: 2400, uom: 'KGM' },
    harvest: { startDate: '2025-03-06', endDate: '2025-03-08', catchArea: '61' },
  },
  {
    producerTaxCode: TAX.caiRong,
    stage: 'processing',
    eventTime: '2025-03-08T15:00:00+07:00',
    location: 'caiRongPlant',
    lot: FISH_SAUCE,
    quantity: { value: 1500, uom: 'LTR' },
    inputs: [{ lot: ANCHOVY, quantity: { value: 2400, uom: 'KGM' } }],
  },
  {
    producerTaxCode: TAX.caiRong,
    stage: 'inspection',
    eventTime: '2026-03-12T09:00:00+07:00',
    location: 'caiRongPlant',
    lot: FISH_SAUCE,
    inspection: { result: 'pass' },
  },
  {
    producerTaxCode: TAX.caiRong,
    stage: 'packing',
    eventTime: '2026-03-20T08:00:00+07:00',
    location: 'caiRongPlant',
    lot: FISH_SAUCE,
    quantity: { value: 3000, uom: 'XBO' },
  },
  {
    producerTaxCode: TAX.caiRong,
    stage: 'shipping',
    eventTime: '2026-03-25T07:00:00+07:00',
    location: 'caiRongPlant',
    lot: FISH_SAUCE,
    quantity: { value: 240, uom: 'XBO' },
    partner: 'haLongShop',
  },
  {
    producerTaxCode: TAX.baChe,
    stage: 'harvest',
    eventTime: '2026-01-10T07:00:00+07:00',
    location: 'baCheForest',
    lot: TEA_BUDS,
    quantity: { value: 120, uom: 'KGM' },
    harvest: { startDate: '2026-01-09', endDate: '2026-01-10', areaHectares: 3.5 },
  },
  {
    producerTaxCode: TAX.baChe,
    stage: 'processing',
    eventTime: '2026-01-11T08:00:00+07:00',
    location: 'baChePlant',
    lot: TEA,
    quantity: { value: 50, uom: 'KGM' },
    inputs: [{ lot: TEA_BUDS, quantity: { value: 120, uom: 'KGM' } }],
  },
  {
    producerTaxCode: TAX.baChe,
    stage: 'packing',
    eventTime: '2026-01-16T08:00:00+07:00',
    location: 'baChePlant',
    lot: TEA,
    quantity: { value: 1000, uom: 'XBX' },
  },
  {
    producerTaxCode: TAX.baChe,
    stage: 'shipping',
    eventTime: '2026-01-20T07:30:00+07:00',
    location: 'baChePlant',
    lot: TEA,
    quantity: { value: 100, uom: 'XBX' },
    partner: 'haLongMarket',
  },
];
