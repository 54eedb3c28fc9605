// What each command says about itself, kept apart from the commands so that `--help` loads none of them.

export const USAGE = `Usage: backup-triage <command> [options]

Commands:
  ask [--json] [--locale ll-CC] <text | ->
                                answer one message (- reads it from standard input)
  chat [--locale ll-CC]         talk to the bot in the terminal, with follow-ups
  chat --jsonl                  JSON lines in ({"thread","user","text","locale"?}), one answer per line out
  serve                         run the bot for Slack and Teams over HTTP
  report [--since 7d] [--json]  what went unanswered, 👎 by entry, picks, the answer rate
  kb check [--dir DIR]          validate the knowledge base and print its coverage
  kb list [--json] [--dir DIR]  list the entries
  kb drift <article.md | URL>   compare a current article with the knowledge
  help [command]                show this help, or a command's

Options for every command:
  -h, --help                    show the command's help
  -V, --version                 print the version

Run \`backup-triage <command> --help\` for a command's options.`;

export const ASK_USAGE = `Usage: backup-triage ask [--json] [--locale ll-CC] <text | ->

Answers one message and exits. Quote the message, or give - and pipe or redirect it in
(UTF-8, or UTF-16 with a byte-order mark, as Windows PowerShell writes).

  --locale ll-CC   the writer's locale (en-US, nl-NL, sv-SE): the language of a bare paste
  --json           the answer as one JSON object, for scripts`;

export const CHAT_USAGE = `Usage: backup-triage chat [--locale ll-CC]
       backup-triage chat --jsonl

Talks to the bot in the terminal: paste an error (a paste of many lines is one message), then ask
follow-ups in the same conversation. Up and Down recall earlier messages.

In the chat:
  /help            the commands
  /lang en|nl|sv   answer in English, Dutch or Swedish from now on
  /new             start a new conversation
  /clear           clear the screen
  /quit            leave (or Ctrl+D)

  --locale ll-CC   the writer's locale (en-US, nl-NL, sv-SE): the language of a bare paste
  --jsonl          for scripts: JSON lines in ({"thread","user","text","locale"?}), one JSON answer
                   per line out, in order`;

export const SERVE_USAGE = `Usage: backup-triage serve

Starts the HTTP server (HOST, default 0.0.0.0; PORT, default 3978) with GET /livez and GET /readyz,
for every configured platform.
Slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP at /slack/events), or SLACK_BOT_TOKEN and
SLACK_APP_TOKEN (Socket Mode). Optional: SLACK_API_URL, SLACK_PASSIVE=off, LOG_LEVEL.
Teams: POST /api/messages, authenticated with MicrosoftAppId, MicrosoftAppPassword,
MicrosoftAppType and MicrosoftAppTenantId. Without them, local mode (loopback callers and replies
only): on when no platform is configured, or with TEAMS_LOCAL=on; TEAMS_LOCAL=off turns it off.`;

export const REPORT_USAGE = `Usage: backup-triage report [--since 7d] [--json]

What the knowledge lacks, from the store serve writes to (REDIS_URL, or SQLite in DATA_DIR,
default ./data): unanswered messages grouped by likeness, 👎 by entry, the entries users picked
from "did you mean", and the answer rate by platform and language.

  --since PERIOD   how far back: 90m, 24h, 7d (the default), 2w, or a date such as 2026-11-01
  --json           one JSON object instead of text`;

export const KB_USAGE = `Usage: backup-triage kb <check | list | drift> [options]

  backup-triage kb check [--dir DIR]          validate every knowledge file; print the coverage
  backup-triage kb list [--json] [--dir DIR]  list the entries (--json: one JSON array, for scripts)
  backup-triage kb drift <article.md | URL> [--doc NAME] [--json] [--dir DIR]
                                              compare an article with the knowledge: new and gone
                                              sections, error messages no entry holds, codes no entry
                                              carries; exit 0 in sync, 1 on drift, 2 on a usage error
                                              or an article that can't be read

DIR is the knowledge folder (default: the project's knowledge/).`;
