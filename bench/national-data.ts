/**
 * The shape of the country the benchmark data set imitates: the 34 provinces that exist since
 * 1 July 2025 and the national totals of commune-level units (DOMAIN.md, The units).
 *
 * The per-province sizes and ward counts below are approximate (rounded from the 2025
 * reorganisation as we remember it, not an official list); the generator scales them so that
 * the national totals come out exact. What matters for a benchmark is a realistic spread: big
 * provinces of 150+ units, small ones of 40, cities with many wards, 13 special zones.
 */
export interface ProvinceSpec {
  code: string;
  name: string;
  /** Approximate number of commune-level units. */
  size: number;
  /** Approximate number of wards among them. */
  wards: number;
  /** Names of its special zones (đặc khu), if any. */
  specialZones: string[];
}

export const nationalTotals = { communes: 2636, wards: 672, specialZones: 13 } as const;

export const provinces: ProvinceSpec[] = [
  { code: 'HNI', name: 'Thành phố Hà Nội', size: 126, wards: 51, specialZones: [] },
  { code: 'HUE', name: 'Thành phố Huế', size: 40, wards: 21, specialZones: [] },
  { code: 'LCH', name: 'Tỉnh Lai Châu', size: 38, wards: 5, specialZones: [] },
  { code: 'DBI', name: 'Tỉnh Điện Biên', size: 45, wards: 3, specialZones: [] },
  { code: 'SLA', name: 'Tỉnh Sơn La', size: 75, wards: 8, specialZones: [] },
  { code: 'LSO', name: 'Tỉnh Lạng Sơn', size: 65, wards: 4, specialZones: [] },
  { code: 'QNI', name: 'Tỉnh Quảng Ninh', size: 54, wards: 30, specialZones: ['Vân Đồn', 'Cô Tô'] },
  { code: 'THO', name: 'Tỉnh Thanh Hóa', size: 166, wards: 19, specialZones: [] },
  { code: 'NAN', name: 'Tỉnh Nghệ An', size: 130, wards: 11, specialZones: [] },
  { code: 'HTI', name: 'Tỉnh Hà Tĩnh', size: 69, wards: 9, specialZones: [] },
  { code: 'CBA', name: 'Tỉnh Cao Bằng', size: 56, wards: 3, specialZones: [] },
  { code: 'TQU', name: 'Tỉnh Tuyên Quang', size: 124, wards: 7, specialZones: [] },
  { code: 'LCA', name: 'Tỉnh Lào Cai', size: 99, wards: 10, specialZones: [] },
  { code: 'TNG', name: 'Tỉnh Thái Nguyên', size: 92, wards: 15, specialZones: [] },
  { code: 'PTH', name: 'Tỉnh Phú Thọ', size: 148, wards: 15, specialZones: [] },
  { code: 'BNI', name: 'Tỉnh Bắc Ninh', size: 99, wards: 33, specialZones: [] },
  { code: 'HYE', name: 'Tỉnh Hưng Yên', size: 104, wards: 11, specialZones: [] },
  { code: 'HPH', name: 'Thành phố Hải Phòng', size: 114, wards: 45, specialZones: ['Cát Hải', 'Bạch Long Vĩ'] },
  { code: 'NBI', name: 'Tỉnh Ninh Bình', size: 129, wards: 32, specialZones: [] },
  { code: 'QTR', name: 'Tỉnh Quảng Trị', size: 78, wards: 8, specialZones: ['Cồn Cỏ'] },
  { code: 'DNA', name: 'Thành phố Đà Nẵng', size: 94, wards: 23, specialZones: ['Hoàng Sa'] },
  { code: 'QNG', name: 'Tỉnh Quảng Ngãi', size: 96, wards: 9, specialZones: ['Lý Sơn'] },
  { code: 'GLA', name: 'Tỉnh Gia Lai', size: 135, wards: 25, specialZones: [] },
  { code: 'KHO', name: 'Tỉnh Khánh Hòa', size: 65, wards: 16, specialZones: ['Trường Sa'] },
  { code: 'LDO', name: 'Tỉnh Lâm Đồng', size: 124, wards: 20, specialZones: ['Phú Quý'] },
  { code: 'DLA', name: 'Tỉnh Đắk Lắk', size: 102, wards: 14, specialZones: [] },
  { code: 'HCM', name: 'Thành phố Hồ Chí Minh', size: 168, wards: 113, specialZones: ['Côn Đảo'] },
  { code: 'DNI', name: 'Tỉnh Đồng Nai', size: 95, wards: 23, specialZones: [] },
  { code: 'TNI', name: 'Tỉnh Tây Ninh', size: 96, wards: 14, specialZones: [] },
  { code: 'CTH', name: 'Thành phố Cần Thơ', size: 103, wards: 31, specialZones: [] },
  { code: 'VLO', name: 'Tỉnh Vĩnh Long', size: 124, wards: 19, specialZones: [] },
  { code: 'DTH', name: 'Tỉnh Đồng Tháp', size: 102, wards: 20, specialZones: [] },
  { code: 'CMA', name: 'Tỉnh Cà Mau', size: 64, wards: 9, specialZones: [] },
  { code: 'AGI', name: 'Tỉnh An Giang', size: 102, wards: 14, specialZones: ['Phú Quốc', 'Kiên Hải', 'Thổ Châu'] },
];

/** Departments every province has that work on ISO 9001 (DOMAIN.md, The people). */
export const departments: Array<{ suffix: string; name: (province: string) => string }> = [
  { suffix: 'SKHCN', name: (p) => `Sở Khoa học và Công nghệ ${p}` },
  { suffix: 'SNV', name: (p) => `Sở Nội vụ ${p}` },
  { suffix: 'VP', name: (p) => `Văn phòng Ủy ban nhân dân ${p}` },
];

/** Syllables common in Vietnamese place names; two of them make a plausible commune name. */
export const firstSyllables = [
  'Tân',
  'An',
  'Bình',
  'Phú',
  'Hòa',
  'Long',
  'Thạnh',
  'Phước',
  'Mỹ',
  'Hưng',
  'Vĩnh',
  'Thuận',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Quang',
  'Hiệp',
  'Thắng',
  'Sơn',
  'Hải',
  'Thanh',
  'Minh',
  'Đức',
  'Yên',
  'Lộc',
  'Kim',
  'Hồng',
  'Xuân',
];
export const secondSyllables = [
  'Phú',
  'An',
  'Bình',
  'Hòa',
  'Lợi',
  'Thành',
  'Hưng',
  'Thịnh',
  'Phong',
  'Lâm',
  'Sơn',
  'Hà',
  'Tiến',
  'Lập',
  'Khánh',
  'Mỹ',
  'Lộc',
  'Tân',
  'Hải',
  'Định',
  'Quý',
  'Thuận',
  'Trung',
  'Nghĩa',
  'Phát',
  'Long',
  'Châu',
  'Đông',
  'Hiệp',
  'Ninh',
];

export const familyNames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
export const middleNames = ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Quốc', 'Thu', 'Kim'];
export const givenNames = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Hương',
  'Khoa',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phong',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vy',
];

/**
 * Splits `total` in proportion to `weights`, rounding so that the parts add up exactly
 * (largest remainder first; ties go to the earlier entry, so the result is stable).
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

/** A small seeded random generator (mulberry32), so that every run builds the same data set. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
