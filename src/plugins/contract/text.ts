/** Text in both UI languages. Vietnamese is what users read; English is the second language. */
export interface LocalizedText {
  vi: string;
  en: string;
}
