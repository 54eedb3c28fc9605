import type { Product } from '../knowledge/schema.ts';

/** Words that place a message in one product's world. */
const CONTEXT: Record<Product, RegExp> = {
  mars: /\b(?:mars(?:[- ]agent)?|mmc|obengine|cbengine|scratch(?:[- ]?(?:folder|map|mapp(?:en)?|location|locatie))?|recovery services? agent|recovery services?-agent(?:en)?|files? and folders?|bestanden en mappen|filer och mappar)\b/giu,
  mabs: /\b(?:dpm|mabs|azure backup server|backup server|protection groups?|beveiligingsgroep(?:en)?|skyddsgrupp(?:en|er)?|replica|replik(?:en)?|storage pool|opslaggroep|lagringspool|dpmra|consistency check|consistentiecontrole|konsekvenskontroll)\b/giu,
  iaasvm: /\b(?:vms?|virtual machines?|virtuele machines?|virtuella? datorer?n?|snapshots?|momentopnamen?|ögonblicksbild(?:en|er)?|extensions?|extensies?|tillägg(?:et)?|vss|vm[- ]agent|waagent|guest agent|iaas(?:vm)?)\b/giu,
};

/**
 * The products' own names. A name says more than a context word: "VSS writer failed on the MABS
 * server" is about MABS, though VSS is an Azure VM backup word too.
 */
const NAMES: Record<Product, RegExp> = {
  mars: /\b(?:mars(?:[- ]agent(?:en)?)?|azure backup agent|recovery services? agent)\b/giu,
  mabs: /\b(?:dpm|mabs|azure backup server)\b/giu,
  iaasvm: /\b(?:azure vm backup|iaas ?vm|vm[- ]backup)\b/giu,
};
/** What a name counts for, next to a context word's 1. */
const NAME_WEIGHT = 2;

/** How strongly the text points at each product: context words, and names counted again. */
export function productContext(text: string): Record<Product, number> {
  const count = (p: Product) => (text.match(CONTEXT[p])?.length ?? 0) + (NAME_WEIGHT - 1) * (text.match(NAMES[p])?.length ?? 0);
  return { mars: count('mars'), mabs: count('mabs'), iaasvm: count('iaasvm') };
}

/** The product the text is clearly about, if one stands out. */
export function dominantProduct(text: string): Product | undefined {
  const counts = Object.entries(productContext(text)) as [Product, number][];
  counts.sort((a, b) => b[1] - a[1]);
  const [first, second] = counts;
  if (!first || first[1] === 0) return undefined;
  if (second && second[1] === first[1]) return undefined;
  return first[0];
}

/** The one product the text names ("on the MABS server"), if it names exactly one. */
export function namedProduct(text: string): Product | undefined {
  const named = (Object.keys(NAMES) as Product[]).filter((p) => (text.match(NAMES[p])?.length ?? 0) > 0);
  return named.length === 1 ? named[0] : undefined;
}
