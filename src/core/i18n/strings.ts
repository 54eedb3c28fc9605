import type { Language, Product } from '../knowledge/schema.ts';

/** Every sentence the bot says that does not come from the knowledge base, in each language. */
export interface Strings {
  product: Record<Product, string>;
  errorLabel: string;
  guideLabel: string;
  causes: string;
  cause: string;
  fix: string;
  /** The heading over a cause's steps: the first of several, a later one, or the only one. */
  causeHeading: (n: number, total: number, cause: string) => string;
  guideSteps: string;
  /** Marks in the cause table: the cause whose steps show, and causes already tried. */
  markCurrent: string;
  markTried: string;
  notes: string;
  article: string;
  confidence: (pct: number) => string;
  moreErrors: (n: number) => string;
  otherCauses: (n: number) => string;
  didYouMean: string;
  didYouMeanHint: string;
  noMatch: string;
  noMatchChecklist: (product: string) => string;
  noMatchHelp: string;
  help: string;
  empty: string;
  binary: string;
  noText: string;
  truncated: (chars: number) => string;
  truncatedAround: (chars: number) => string;
  noContext: string;
  explainStep: (n: number, total: number) => string;
  whichStep: (total: number) => string;
  noSuchStep: (n: number, total: number) => string;
  nextCause: (n: number, total: number) => string;
  skipped: (causes: number[]) => string;
  noMoreCauses: string;
  allCauses: string;
  stillFailingChecklist: (product: string) => string;
  askForLogs: string;
  /** A question about the answer in focus, answered from its text. */
  fromAnswer: (title: string) => string;
  quoteStep: (n: number, total: number) => string;
  notInAnswer: (title: string) => string;
  picked: string;
  /** Under a single answer: a close second, by title and product. */
  couldAlsoBe: (title: string, product: string) => string;
  thanks: string;
  switched: string;
  unsupportedLanguage: string;
  internalError: string;
  feedbackYes: string;
  feedbackNo: string;
  buttonOtherCauses: string;
  feedbackThanks: string;
  trimmed: string;
}

/** "1 step", "3 steps": the plural form for a number, by the language's own plural rules. */
export function plural(language: Language, n: number, forms: { one: string; other: string }): string {
  return new Intl.PluralRules(language).select(n) === 'one' ? forms.one : forms.other;
}

/** A list of numbers as a language writes it: "1, 2 and 3". */
function numbers(language: Language, list: number[]): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(list.map(String));
}

/** Each language's name in that language, as the language buttons show it. */
export const LANGUAGE_LABELS: Record<Language, string> = { en: 'English', nl: 'Nederlands', sv: 'Svenska' };

export const STRINGS: Record<Language, Strings> = {
  en: {
    product: { mars: 'MARS agent', iaasvm: 'Azure VM backup', mabs: 'Azure Backup Server / DPM' },
    errorLabel: 'Error',
    guideLabel: 'Guide',
    causes: 'Possible causes',
    cause: 'Cause',
    fix: 'What to do',
    causeHeading: (n, total, cause) => (total === 1 ? `Cause: ${cause}` : n === 1 ? `Most likely cause (1 of ${total}): ${cause}` : `Cause ${n} of ${total}: ${cause}`),
    guideSteps: 'Steps',
    markCurrent: 'steps below',
    markTried: 'tried',
    notes: 'Note',
    article: 'Article',
    confidence: (pct) => `confidence ${pct}%`,
    moreErrors: (n) => `I found ${n} different errors in your message; here they are one by one.`,
    otherCauses: (n) => `${n} other possible ${plural('en', n, { one: 'cause', other: 'causes' })}: say "it still fails" for the next one.`,
    didYouMean: 'I am not sure which error this is. Did you mean one of these?',
    didYouMeanHint: 'Reply with the number, or paste the full error message.',
    noMatch: "I don't recognise this as an Azure Backup error.",
    noMatchChecklist: (product) => `Since this looks like a ${product} problem, start with the basic checks:`,
    noMatchHelp:
      'Paste the full error message or its code (for example "ID: 34513" or "UserErrorFsFreezeFailed"), or describe the problem in a sentence. I know the MARS agent, Azure VM backup and Azure Backup Server (DPM) errors.',
    help:
      'I help with Azure Backup errors. Paste an error message or code from the MARS agent, an Azure VM backup job or Azure Backup Server (DPM), and I answer with the causes, the steps to fix it and the article. In the thread you can ask "what does step 2 mean?", say "it still fails", or ask for English, Dutch or Swedish.',
    empty: 'Your message is empty. Paste an Azure Backup error message or code, and I will look it up.',
    binary: "That looks like binary data, not text. Paste the error message as text, and I'll look it up.",
    noText: "I didn't find any words in that. Paste the error message or code as text.",
    truncated: (chars) => `Your message was long; I read the first ${chars} characters.`,
    truncatedAround: (chars) => `Your message was long; I read the ${chars} characters around its error lines.`,
    noContext: "I don't have an earlier answer in this thread. Paste the error message here, and I'll start from there.",
    explainStep: (n, total) => `Step ${n} of ${total}`,
    whichStep: (total) => `Which step do you mean? The last answer has ${total} ${plural('en', total, { one: 'step', other: 'steps' })}: ask for example "what does step 1 mean?".`,
    noSuchStep: (n, total) => `There is no step ${n}: the last answer has ${total === 1 ? 'only one step' : `${total} steps`}.`,
    nextCause: (n, total) => `Then let's look at cause ${n} of ${total}:`,
    skipped: (causes) => `You have already tried the fix for ${plural('en', causes.length, { one: 'cause', other: 'causes' })} ${numbers('en', causes)}.`,
    noMoreCauses: 'That was the last cause I know for this error.',
    allCauses: 'The other causes, each with its steps:',
    stillFailingChecklist: (product) => `If it still fails, go through the basic ${product} checks, and then read the article:`,
    askForLogs: 'Then paste the full error lines here (the error code, the message and the log lines around them), and I will look again.',
    fromAnswer: (title) => `From the answer about "${title}":`,
    quoteStep: (n, total) => `Step ${n} of ${total}`,
    notInAnswer: (title) => `The answer about "${title}" doesn't say. The article may have more; if this is a different error, paste its message here.`,
    picked: 'Here is the answer for the one you chose:',
    couldAlsoBe: (title, product) => `Could also be: ${title} (${product}).`,
    thanks: "Glad I could help. Paste the next error any time.",
    switched: 'The same answer in English:',
    unsupportedLanguage: 'I answer in English, Dutch (Nederlands) and Swedish (svenska); here is my answer in English.',
    internalError: 'Something went wrong on my side while answering. Please try again in a moment; if it keeps happening, tell your bot admin.',
    feedbackYes: 'This helped',
    feedbackNo: "This didn't help",
    buttonOtherCauses: 'Other causes',
    feedbackThanks: 'Thanks for the feedback.',
    trimmed: 'This answer is long; the rest is in the article:',
  },
  nl: {
    product: { mars: 'MARS-agent', iaasvm: 'back-up van Azure-VM', mabs: 'Azure Backup Server / DPM' },
    errorLabel: 'Fout',
    guideLabel: 'Handleiding',
    causes: 'Mogelijke oorzaken',
    cause: 'Oorzaak',
    fix: 'Wat te doen',
    causeHeading: (n, total, cause) => (total === 1 ? `Oorzaak: ${cause}` : n === 1 ? `Meest waarschijnlijke oorzaak (1 van ${total}): ${cause}` : `Oorzaak ${n} van ${total}: ${cause}`),
    guideSteps: 'Stappen',
    markCurrent: 'stappen hieronder',
    markTried: 'geprobeerd',
    notes: 'Let op',
    article: 'Artikel',
    confidence: (pct) => `zekerheid ${pct}%`,
    moreErrors: (n) => `Ik vond ${n} verschillende fouten in uw bericht; hier zijn ze een voor een.`,
    otherCauses: (n) => `Nog ${n} mogelijke ${plural('nl', n, { one: 'oorzaak', other: 'oorzaken' })}: zeg "het werkt nog steeds niet" voor de volgende.`,
    didYouMean: 'Ik weet niet zeker welke fout dit is. Bedoelt u een van deze?',
    didYouMeanHint: 'Antwoord met het nummer, of plak de volledige foutmelding.',
    noMatch: 'Ik herken dit niet als een Azure Backup-fout.',
    noMatchChecklist: (product) => `Dit lijkt een probleem met de ${product}; begin met de basiscontroles:`,
    noMatchHelp:
      'Plak de volledige foutmelding of de code (bijvoorbeeld "ID: 34513" of "UserErrorFsFreezeFailed"), of beschrijf het probleem in een zin. Ik ken de fouten van de MARS-agent, de back-up van Azure-VM\'s en Azure Backup Server (DPM).',
    help:
      'Ik help bij Azure Backup-fouten. Plak een foutmelding of code van de MARS-agent, een back-uptaak van een Azure-VM of Azure Backup Server (DPM), en ik antwoord met de oorzaken, de stappen om het op te lossen en het artikel. In de thread kunt u vragen "wat bedoel je met stap 2?", zeggen "het werkt nog steeds niet", of om Engels, Nederlands of Zweeds vragen.',
    empty: 'Uw bericht is leeg. Plak een Azure Backup-foutmelding of -code, dan zoek ik die op.',
    binary: 'Dat lijken binaire gegevens, geen tekst. Plak de foutmelding als tekst, dan zoek ik die op.',
    noText: 'Ik vond daarin geen woorden. Plak de foutmelding of de code als tekst.',
    truncated: (chars) => `Uw bericht was lang; ik heb de eerste ${chars} tekens gelezen.`,
    truncatedAround: (chars) => `Uw bericht was lang; ik heb de ${chars} tekens rond de foutregels gelezen.`,
    noContext: 'Ik heb in deze thread nog geen eerder antwoord gegeven. Plak de foutmelding hier, dan begin ik daarmee.',
    explainStep: (n, total) => `Stap ${n} van ${total}`,
    whichStep: (total) => `Welke stap bedoelt u? Het laatste antwoord heeft ${total} ${plural('nl', total, { one: 'stap', other: 'stappen' })}: vraag bijvoorbeeld "wat bedoel je met stap 1?".`,
    noSuchStep: (n, total) => `Er is geen stap ${n}: het laatste antwoord heeft ${total === 1 ? 'maar één stap' : `${total} stappen`}.`,
    nextCause: (n, total) => `Laten we dan naar oorzaak ${n} van ${total} kijken:`,
    skipped: (causes) => `U hebt de oplossing voor ${plural('nl', causes.length, { one: 'oorzaak', other: 'oorzaken' })} ${numbers('nl', causes)} al geprobeerd.`,
    noMoreCauses: 'Dat was de laatste oorzaak die ik voor deze fout ken.',
    allCauses: 'De andere oorzaken, elk met de stappen:',
    stillFailingChecklist: (product) => `Mislukt het nog steeds, loop dan de basiscontroles voor de ${product} na en lees daarna het artikel:`,
    askForLogs: 'Plak daarna de volledige foutregels hier (de foutcode, de melding en de logregels eromheen), dan kijk ik opnieuw.',
    fromAnswer: (title) => `Uit het antwoord over "${title}":`,
    quoteStep: (n, total) => `Stap ${n} van ${total}`,
    notInAnswer: (title) => `Het antwoord over "${title}" zegt daar niets over. Misschien staat het in het artikel; gaat het om een andere fout, plak dan die melding hier.`,
    picked: 'Hier is het antwoord voor de fout die u koos:',
    couldAlsoBe: (title, product) => `Het kan ook gaan om: ${title} (${product}).`,
    thanks: 'Fijn dat ik kon helpen. Plak gerust de volgende fout.',
    switched: 'Hetzelfde antwoord in het Nederlands:',
    unsupportedLanguage: 'Ik antwoord in het Engels, Nederlands en Zweeds; hier is mijn antwoord in het Engels.',
    internalError: 'Er ging bij mij iets mis tijdens het antwoorden. Probeer het zo opnieuw; blijft het gebeuren, meld het dan aan de beheerder van de bot.',
    feedbackYes: 'Dit hielp',
    feedbackNo: 'Dit hielp niet',
    buttonOtherCauses: 'Andere oorzaken',
    feedbackThanks: 'Bedankt voor de feedback.',
    trimmed: 'Dit antwoord is lang; de rest staat in het artikel:',
  },
  sv: {
    product: { mars: 'MARS-agenten', iaasvm: 'säkerhetskopiering av virtuella Azure-datorer', mabs: 'Azure Backup Server / DPM' },
    errorLabel: 'Fel',
    guideLabel: 'Guide',
    causes: 'Möjliga orsaker',
    cause: 'Orsak',
    fix: 'Vad du gör',
    causeHeading: (n, total, cause) => (total === 1 ? `Orsak: ${cause}` : n === 1 ? `Mest sannolika orsak (1 av ${total}): ${cause}` : `Orsak ${n} av ${total}: ${cause}`),
    guideSteps: 'Steg',
    markCurrent: 'stegen nedan',
    markTried: 'provad',
    notes: 'Observera',
    article: 'Artikel',
    confidence: (pct) => `säkerhet ${pct} %`,
    moreErrors: (n) => `Jag hittade ${n} olika fel i ditt meddelande; här kommer de ett i taget.`,
    otherCauses: (n) => `${n} ${plural('sv', n, { one: 'annan möjlig orsak', other: 'andra möjliga orsaker' })}: skriv "det fungerar fortfarande inte" för nästa.`,
    didYouMean: 'Jag är inte säker på vilket fel det här är. Menar du något av dessa?',
    didYouMeanHint: 'Svara med numret, eller klistra in hela felmeddelandet.',
    noMatch: 'Jag känner inte igen det här som ett Azure Backup-fel.',
    noMatchChecklist: (product) => `Det här ser ut som ett problem med ${product}; börja med de grundläggande kontrollerna:`,
    noMatchHelp:
      'Klistra in hela felmeddelandet eller koden (till exempel "ID: 34513" eller "UserErrorFsFreezeFailed"), eller beskriv problemet med en mening. Jag kan felen i MARS-agenten, säkerhetskopiering av virtuella Azure-datorer och Azure Backup Server (DPM).',
    help:
      'Jag hjälper till med Azure Backup-fel. Klistra in ett felmeddelande eller en felkod från MARS-agenten, ett säkerhetskopieringsjobb för en virtuell Azure-dator eller Azure Backup Server (DPM), så svarar jag med orsakerna, stegen för att åtgärda felet och artikeln. I tråden kan du fråga "vad menar du med steg 2?", skriva "det fungerar fortfarande inte" eller be om engelska, nederländska eller svenska.',
    empty: 'Ditt meddelande är tomt. Klistra in ett felmeddelande eller en felkod från Azure Backup, så slår jag upp det.',
    binary: 'Det där ser ut som binära data, inte text. Klistra in felmeddelandet som text, så slår jag upp det.',
    noText: 'Jag hittade inga ord i det där. Klistra in felmeddelandet eller koden som text.',
    truncated: (chars) => `Ditt meddelande var långt; jag läste de första ${chars} tecknen.`,
    truncatedAround: (chars) => `Ditt meddelande var långt; jag läste de ${chars} tecknen runt felraderna.`,
    noContext: 'Jag har inget tidigare svar i den här tråden. Klistra in felmeddelandet här, så börjar jag där.',
    explainStep: (n, total) => `Steg ${n} av ${total}`,
    whichStep: (total) => `Vilket steg menar du? Det senaste svaret har ${total} steg: fråga till exempel "vad menar du med steg 1?".`,
    noSuchStep: (n, total) => `Det finns inget steg ${n}: det senaste svaret har ${total === 1 ? 'bara ett steg' : `${total} steg`}.`,
    nextCause: (n, total) => `Då tittar vi på orsak ${n} av ${total}:`,
    skipped: (causes) => `Du har redan provat åtgärden för ${plural('sv', causes.length, { one: 'orsak', other: 'orsakerna' })} ${numbers('sv', causes)}.`,
    noMoreCauses: 'Det var den sista orsaken jag känner till för det här felet.',
    allCauses: 'De andra orsakerna, var och en med sina steg:',
    stillFailingChecklist: (product) => `Om det fortfarande misslyckas går du igenom de grundläggande kontrollerna för ${product} och läser sedan artikeln:`,
    askForLogs: 'Klistra sedan in hela felraderna här (felkoden, meddelandet och loggraderna runt dem), så tittar jag igen.',
    fromAnswer: (title) => `Ur svaret om "${title}":`,
    quoteStep: (n, total) => `Steg ${n} av ${total}`,
    notInAnswer: (title) => `Svaret om "${title}" säger inget om det. Artikeln kan ha mer; gäller det ett annat fel klistrar du in det felmeddelandet här.`,
    picked: 'Här är svaret för det fel du valde:',
    couldAlsoBe: (title, product) => `Det kan också vara: ${title} (${product}).`,
    thanks: 'Vad bra att jag kunde hjälpa till. Klistra in nästa fel när du vill.',
    switched: 'Samma svar på svenska:',
    unsupportedLanguage: 'Jag svarar på engelska, nederländska och svenska; här är mitt svar på engelska.',
    internalError: 'Något gick fel hos mig när jag skulle svara. Försök igen om en stund; om det fortsätter, kontakta den som administrerar boten.',
    feedbackYes: 'Det här hjälpte',
    feedbackNo: 'Det här hjälpte inte',
    buttonOtherCauses: 'Andra orsaker',
    feedbackThanks: 'Tack för återkopplingen.',
    trimmed: 'Svaret är långt; resten finns i artikeln:',
  },
};
