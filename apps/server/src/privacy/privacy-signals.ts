/** SIG-1: the privacy signals a request carried. */
export interface PrivacySignals {
  /** `Sec-GPC: 1` (Global Privacy Control). */
  gpc: boolean;
  /** `DNT: 1` (Do Not Track). */
  dnt: boolean;
}

/** Reads the signals from a request's headers, given a function that returns a header's value by its name. */
export const privacySignals = (header: (name: string) => string | undefined): PrivacySignals => ({
  gpc: header('sec-gpc')?.trim() === '1',
  dnt: header('dnt')?.trim() === '1',
});
