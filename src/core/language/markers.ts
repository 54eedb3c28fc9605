import type { Language } from '../knowledge/schema.ts';

/**
 * Function words and chat words that mark a language. Technical words that every language borrows
 * (backup, server, agent, error codes) are absent on purpose: they say nothing about the writer.
 */
export const FUNCTION_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set(
    ('the a an is are was were be been this that these those it its i we you he she they my our your their me us ' +
      'and or but not no yes with without from for to of in on at by after before since when while if then so ' +
      'what how why which who where does do did doing done have has had get gets got getting keeps keep still ' +
      'again please thanks thank any some can could would should will just also only now here there about ' +
      'getting tried trying help mean means step steps other else ' +
      'running run runs work works working fix fixed issue problem problems anyone know same').split(' '),
  ),
  nl: new Set(
    ('de het een is zijn was waren dit dat deze die ik we wij jij je u hij zij ze mijn onze ons jouw uw hun me mij ' +
      'en of maar niet geen ja met zonder van voor naar bij in op aan door na sinds toen als dan dus wat hoe ' +
      'waarom welke wie waar doet doen deed heb hebt heeft hebben krijg krijgen kreeg krijgt blijft steeds nog ' +
      'weer graag alsjeblieft alstublieft bedankt dank kan kun kunt kunnen zou moet moeten wordt worden werd ' +
      'ook alleen nu hier daar over faalt geprobeerd stap stappen betekent ' +
      'bedoel andere anders werkt werken opgelost probleem iemand hetzelfde zelfde er al even bij hoi hallo').split(' '),
  ),
  sv: new Set(
    ('den det en ett är var vara detta denna dessa jag vi du han hon de min mitt mina vår vårt våra din ditt er ' +
      'deras mig oss och eller men inte ingen inget ja nej med utan från för till av i på vid efter innan sedan ' +
      'när medan om så vad hur varför vilken vilket vem var gör gjorde har hade får fick fortfarande igen ' +
      'tack snälla kan kunde skulle ska bara också nu här där ' +
      'provat försökt steg betyder menar andra annat fungerar funkar löst problem problemet någon samma hej ' +
      'efter någon något hjälp då').split(' '),
  ),
};

/**
 * Everyday words that also mark a language (times, numbers, greetings), but that an error message
 * may use as content: they tell the language without being stop words for matching.
 */
const EVERYDAY_WORDS: Record<Language, string> = {
  en: 'last night every two three morning everyone today yesterday need want hi hello',
  nl:
    'vannacht gisteren vandaag twee drie elke iedere nacht goedemorgen goedemiddag allemaal iedereen fouten ' +
    'mislukt weet wil zit staat gaat komt omdat want toch nou hoor wel mag misschien keer ' +
    // chat abbreviations: even, in verband met, inderdaad, niet van toepassing, bijvoorbeeld, …
    'ff ivm idd nvt bijv evt mbt tov iig',
  sv:
    'natt inatt igår idag två tre varje alla god morgon mot att som måste finns vill behöver redan kanske ' +
    'gång vet mycket lite hela faller ' +
    // chat forms: någon, något, på grund av, sedan, ej, dock, i alla fall
    'nån nåt pga sen ej dock iaf',
};

/** The words that tell a language: its function words and its everyday words. */
export const MARKERS: Record<Language, ReadonlySet<string>> = {
  en: new Set([...FUNCTION_WORDS.en, ...EVERYDAY_WORDS.en.split(' ')]),
  nl: new Set([...FUNCTION_WORDS.nl, ...EVERYDAY_WORDS.nl.split(' ')]),
  sv: new Set([...FUNCTION_WORDS.sv, ...EVERYDAY_WORDS.sv.split(' ')]),
};

/** Common words of languages we don't answer in; enough to tell that the writer uses one. */
export const OTHER_MARKERS: ReadonlySet<string> = new Set(
  ('der die das und ist nicht ich wir sie mit für auf bei nach wenn wie warum bitte danke funktioniert fehler ' +
    'weiß jemand ein eine einen einem auch noch schon oder aber mein meine unser können habe hat gibt ' +
    'le la les un une est et ne pas je nous vous avec pour sur dans quand comment pourquoi merci erreur ' +
    'el los las es y no yo con por para en cuando como porque gracias que').split(' '),
);

/**
 * Words that only a person writes: pronouns, question words, greetings, please and thanks. A text
 * without any of them may well be a pasted product message rather than the writer's own words.
 */
export const CHAT_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set('i we my our me us you your how why what who where which please thanks thank anyone hi hello help can could should'.split(' ')),
  nl: new Set('ik we wij mijn onze me mij je jij u uw hoe waarom wat wie waar welke graag bedankt dank hoi hallo iemand kan kun kunt moet'.split(' ')),
  sv: new Set('jag vi min mitt mina vår vårt våra mig oss du din ditt hur varför vad vem vilken tack snälla hej någon hjälp kan ska'.split(' ')),
};
