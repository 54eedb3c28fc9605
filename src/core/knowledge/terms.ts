// The knowledge's vocabulary of names, apart from its schema so that the engine loads no validator.

/** The languages every text exists in. English is the reference language. */
export const LANGUAGES = ['en', 'nl', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

export const PRODUCTS = ['mars', 'iaasvm', 'mabs'] as const;
export type Product = (typeof PRODUCTS)[number];

export const KINDS = ['error', 'guide'] as const;
export type Kind = (typeof KINDS)[number];

/** The troubleshooting article behind each product. */
export const PRODUCT_DOC = {
  mars: 'backup-azure-mars-troubleshoot',
  iaasvm: 'backup-azure-vms-troubleshoot',
  mabs: 'backup-azure-mabs-troubleshoot',
} as const satisfies Record<Product, string>;

export const DOCS = Object.values(PRODUCT_DOC) as [string, ...string[]];
