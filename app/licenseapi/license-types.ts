// The license types and flags the vendor documents, shared by the client (to
// describe a license to a person) and the sandbox (to model them).
// Source: the vendor's documentation ("License Types") and its official SDK's
// LicenseTypes enum: perpetual, time-limited, subscription, consumption; a
// trial is a flag (is_trial) on a license, usually time-limited.

export const LICENSE_TYPES = ['perpetual', 'time-limited', 'subscription', 'consumption'] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

/** Plain words for a license type (unknown types are shown as the server spells them). */
export function describeLicenseType(type: string | undefined, isTrial: boolean | undefined): string {
  const words: Record<string, string> = { perpetual: 'perpetual', 'time-limited': 'time-limited', subscription: 'subscription', consumption: 'consumption' };
  const base = type === undefined ? 'license' : words[type] ?? type;
  return isTrial ? `${base} trial` : base;
}

/** Days before expiry at which a person is warned (the first, then the urgent one). */
export const EXPIRY_WARNING_DAYS = [14, 3] as const;
