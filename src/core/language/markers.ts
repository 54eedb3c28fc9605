import type { Language } from '../knowledge/schema.ts';

/**
 * Function words and chat words that mark a language. Technical words that every language borrows
 * (backup, server, agent, error codes) are absent on purpose: they say nothing about the writer.
 */
export const MARKERS: Record<Language, ReadonlySet<string>> = {
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
      'efter någon något hjälp').split(' '),
  ),
};

/** Common words of languages we don't answer in; enough to tell that the writer uses one. */
export const OTHER_MARKERS: ReadonlySet<string> = new Set(
  ('der die das und ist nicht ich wir sie mit für auf bei nach wenn wie warum bitte danke funktioniert fehler ' +
    'le la les un une est et ne pas je nous vous avec pour sur dans quand comment pourquoi merci erreur ' +
    'el los las es y no yo con por para en cuando como porque gracias que').split(' '),
);

/** Names of the supported languages, in each supported language, for "in English please". */
export const LANGUAGE_NAMES: Record<Language, RegExp> = {
  en: /\b(?:english|engels|engelska|eng)\b/iu,
  nl: /\b(?:dutch|nederlands|nederlandse|holländska|nederländska|vlaams|nl)\b/iu,
  sv: /\b(?:swedish|zweeds|svenska|svensk|sv)\b/iu,
};
