import type { Language } from '../core/knowledge/schema.ts';

/** What `chat` and `ask` say of themselves in a terminal, in each language the bot speaks. */
export interface ChatStrings {
  intro: string;
  commands: string;
  bye: string;
  newThread: string;
  language: (name: string) => string;
  unknownCommand: (name: string) => string;
  langUsage: string;
  /** `ask -` on a terminal: what it waits for. */
  waiting: string;
}

export const CHAT_STRINGS: Record<Language, ChatStrings> = {
  en: {
    intro: 'Paste an Azure Backup error (one paste is one message, however many lines), then ask follow-ups. Type /help for the commands.',
    commands: [
      'Commands:',
      '  /help           this list',
      '  /lang en|nl|sv  answer in English, Dutch or Swedish from now on',
      '  /new            start a new conversation (follow-ups forget the last answer)',
      '  /clear          clear the screen',
      '  /quit           leave (or Ctrl+D; "quit" and "exit" work too)',
      'Up and Down recall earlier messages.',
    ].join('\n'),
    bye: 'Bye.',
    newThread: 'New conversation: paste the next error.',
    language: (name) => `From now on I answer in ${name}.`,
    unknownCommand: (name) => `There is no command ${name}. Type /help for the list.`,
    langUsage: 'Give a language: /lang en, /lang nl or /lang sv.',
    waiting: 'Paste or type the message, then press Ctrl+D on a line of its own (Ctrl+Z and Enter on Windows).',
  },
  nl: {
    intro: 'Plak een Azure Backup-foutmelding (één keer plakken is één bericht, hoeveel regels ook) en stel daarna vervolgvragen. Typ /help voor de opdrachten.',
    commands: [
      'Opdrachten:',
      '  /help           deze lijst',
      '  /lang en|nl|sv  antwoord voortaan in het Engels, Nederlands of Zweeds',
      '  /new            begin een nieuw gesprek (vervolgvragen vergeten het vorige antwoord)',
      '  /clear          maak het scherm leeg',
      '  /quit           stoppen (of Ctrl+D; "quit" en "exit" werken ook)',
      'Met pijl omhoog en omlaag haal je eerdere berichten terug.',
    ].join('\n'),
    bye: 'Tot ziens.',
    newThread: 'Nieuw gesprek: plak de volgende foutmelding.',
    language: (name) => `Ik antwoord voortaan in het ${name}.`,
    unknownCommand: (name) => `De opdracht ${name} bestaat niet. Typ /help voor de lijst.`,
    langUsage: 'Geef een taal op: /lang en, /lang nl of /lang sv.',
    waiting: 'Plak of typ het bericht en druk dan op een lege regel op Ctrl+D (in Windows Ctrl+Z en Enter).',
  },
  sv: {
    intro: 'Klistra in ett fel från Azure Backup (en inklistring är ett meddelande, hur många rader den än har) och ställ sedan följdfrågor. Skriv /help för kommandona.',
    commands: [
      'Kommandon:',
      '  /help           den här listan',
      '  /lang en|nl|sv  svara på engelska, nederländska eller svenska från och med nu',
      '  /new            börja en ny konversation (följdfrågor glömmer förra svaret)',
      '  /clear          töm skärmen',
      '  /quit           avsluta (eller Ctrl+D; "quit" och "exit" fungerar också)',
      'Med pil upp och ned tar du fram tidigare meddelanden.',
    ].join('\n'),
    bye: 'Hej då.',
    newThread: 'Ny konversation: klistra in nästa fel.',
    language: (name) => `Från och med nu svarar jag på ${name}.`,
    unknownCommand: (name) => `Kommandot ${name} finns inte. Skriv /help för listan.`,
    langUsage: 'Ange ett språk: /lang en, /lang nl eller /lang sv.',
    waiting: 'Klistra in eller skriv meddelandet och tryck sedan Ctrl+D på en egen rad (Ctrl+Z och Enter i Windows).',
  },
};

/** Each language's name in each language, as the sentence above uses it. */
export const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  en: { en: 'English', nl: 'Dutch', sv: 'Swedish' },
  nl: { en: 'Engels', nl: 'Nederlands', sv: 'Zweeds' },
  sv: { en: 'engelska', nl: 'nederländska', sv: 'svenska' },
};
