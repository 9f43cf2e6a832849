/**
 * Folds Vietnamese text for search: NFC, lower case, diacritics removed, đ -> d, spaces
 * collapsed. Stored next to the text it folds, so that `dang ky khai sinh` finds
 * `Đăng ký khai sinh` on SQLite and PostgreSQL alike without engine extensions.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text from users is kept in NFC so that equal-looking strings compare equal. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}
